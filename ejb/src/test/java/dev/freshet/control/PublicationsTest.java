package dev.freshet.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublicationsTest {
    @Test
    void aPublicationIsListedWithItsProgressUntilItEnds() {
        Publications publications = new Publications();
        Publications.Publication p = publications.begin("image.iso");
        assertThat(publications.running()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("image.iso");
            assertThat(r.pieceCount()).isZero();
        });
        p.hashed(0, 400);
        p.hashed(120, 400);
        p.hashed(90, 400); // hashing threads report out of order: the count never goes back
        assertThat(publications.running().get(0).piecesHashed()).isEqualTo(120);
        assertThat(publications.running().get(0).fraction()).isEqualTo(0.3);
        publications.end(p);
        assertThat(publications.running()).isEmpty();
    }
}
