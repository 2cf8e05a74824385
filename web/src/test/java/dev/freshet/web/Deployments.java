package dev.freshet.web;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The WAR as built (not a hand-picked list of classes): what users deploy is what is tested. */
final class Deployments {
    private Deployments() {
    }

    static WebArchive builtWar() {
        String war = System.getProperty("freshet.war");
        if (war == null || !new File(war).isFile()) {
            throw new IllegalStateException("system property freshet.war must name the built WAR (run mvn verify), got " + war);
        }
        return ShrinkWrap.create(ZipImporter.class, "freshet.war").importFrom(new File(war)).as(WebArchive.class);
    }
}
