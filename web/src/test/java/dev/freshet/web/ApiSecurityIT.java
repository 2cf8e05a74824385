package dev.freshet.web;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what: no credentials → 401, wrong ones → 401, viewer reads, only admin changes. */
@ExtendWith(ArquillianExtension.class)
class ApiSecurityIT {
    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void withoutCredentialsTheApiAsksForThem() throws Exception {
        for (String path : new String[] {"/api/swarms", "/api/cluster", "/api/settings"}) {
            HttpResponse<String> r = Http.call(base, "GET", path, null, null, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(Http.call(base, "POST", "/api/swarms", null, null, "application/json", "{}".getBytes()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() throws Exception {
        assertThat(Http.call(base, "GET", "/api/swarms", "admin", "guess", null, null).statusCode()).isEqualTo(401);
        assertThat(Http.call(base, "GET", "/api/swarms", "viewer", Http.ADMIN, null, null).statusCode()).isEqualTo(401);
        assertThat(Http.call(base, "GET", "/api/swarms", "root", Http.ADMIN, null, null).statusCode()).isEqualTo(401);
        assertThat(Http.call(base, "GET", "/api/swarms", "admin", "", null, null).statusCode()).isEqualTo(401);
        assertThat(Http.call(base, "GET", "/api/swarms", "", "", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerReadsButChangesNothing() throws Exception {
        for (String path : new String[] {"/api/swarms", "/api/cluster", "/api/settings"}) {
            assertThat(Http.call(base, "GET", path, "viewer", Http.VIEWER, null, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(Http.call(base, "PUT", "/api/settings", "viewer", Http.VIEWER, "application/json",
                "{\"downloadLimit\":1,\"uploadLimit\":1}".getBytes()).statusCode()).isEqualTo(403);
        HttpResponse<String> post = Http.call(base, "POST", "/api/swarms", "viewer", Http.VIEWER, "application/json",
                "{\"path\":\"/etc\"}".getBytes());
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("admin");
        String any = "/api/swarms/0123456789abcdef0123456789abcdef01234567";
        assertThat(Http.call(base, "DELETE", any, "viewer", Http.VIEWER, null, null).statusCode()).isEqualTo(403);
        assertThat(Http.call(base, "POST", any + "/pause", "viewer", Http.VIEWER, null, null).statusCode()).isEqualTo(403);
        // and the settings are unchanged
        assertThat(Http.admin(base, "GET", "/api/settings", null, null).body()).doesNotContain("\"downloadLimit\":1,");
    }

    @Test
    void theAdminMayChange() throws Exception {
        HttpResponse<String> r = Http.admin(base, "PUT", "/api/settings", "application/json",
                "{\"downloadLimit\":0,\"uploadLimit\":0}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
