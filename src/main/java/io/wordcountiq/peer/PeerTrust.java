package io.wordcountiq.peer;

import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CAs that calls to peers over HTTPS trust (FORWARD_TRUSTSTORE): a PEM bundle of CA certificates, as a
 * Kubernetes Secret usually holds it (ca.crt), or a PKCS12 truststore with FORWARD_TRUSTSTORE_PASSWORD.
 */
final class PeerTrust {

    private PeerTrust() {
    }

    static TrustOptions of(Path truststore, String password) throws IOException, GeneralSecurityException {
        KeyStore keyStore;
        String name = truststore.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(truststore)) {
                keyStore.load(in, password.toCharArray());
            }
        } else {
            keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
            keyStore.load(null, null);
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(truststore)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("FORWARD_TRUSTSTORE " + truststore + " holds no certificate");
            }
            int i = 0;
            for (Certificate certificate : certificates) {
                keyStore.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore);
        return TrustOptions.wrap(factory);
    }
}
