package io.netsnap.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS client contexts that trust exactly the CAs of a PEM bundle (Vault, Aruba conductors). Never trust-all. */
public final class TrustBundles {

    private TrustBundles() {
    }

    /**
     * @param bundle  PEM file with one or more CA certificates, or {@code null} for the JVM's trust store
     * @param setting the configuration key that named the file, for messages
     * @throws IllegalStateException when the file cannot be read or holds no certificate
     */
    public static SSLContext sslContext(Path bundle, String setting) {
        try {
            if (bundle == null) {
                return SSLContext.getDefault();
            }
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            try (InputStream in = Files.newInputStream(bundle)) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trustStore.setCertificateEntry("ca-" + index++, certificate);
                }
            }
            if (index == 0) {
                throw new IllegalStateException("no certificate in " + setting + " " + bundle);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + setting + " " + bundle + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
