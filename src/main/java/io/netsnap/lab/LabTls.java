package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The lab's TLS material: a self-signed lab CA and a server certificate it issued for {@code 127.0.0.1} and
 * {@code localhost}, made once per lab directory with the JDK's {@code keytool} and kept. netsnap trusts the lab CA
 * through the PEM bundle ({@link #caBundle()}), as it would trust a company CA; nothing trusts everything.
 */
public final class LabTls {

    /** Guards the lab's own key store; not a secret worth protecting. */
    private static final String STORE_PASSWORD = "netsnap-lab";

    private final Path caBundle;
    private final Path keyStore;

    private LabTls(Path caBundle, Path keyStore) {
        this.caBundle = caBundle;
        this.keyStore = keyStore;
    }

    /** The material in {@code directory}, created there when missing. */
    public static LabTls loadOrCreate(Path directory) throws IOException {
        Path ca = directory.resolve("lab-ca.pem");
        Path store = directory.resolve("conductor.p12");
        if (!Files.exists(ca) || !Files.exists(store)) {
            create(directory, ca, store);
        }
        return new LabTls(ca, store);
    }

    /** PEM file with the lab CA's certificate: what {@code netsnap.aruba.ca-bundle} points at. */
    public Path caBundle() {
        return caBundle;
    }

    /** A server context presenting the certificate the lab CA issued, with the chain. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the lab's TLS key store " + keyStore, e);
        }
    }

    private static void create(Path directory, Path ca, Path store) throws IOException {
        Files.createDirectories(directory);
        Path work = Files.createTempDirectory(directory, "tls-");
        Path caStore = work.resolve("ca.p12");
        Path serverStore = work.resolve("server.p12");
        Path request = work.resolve("server.csr");
        Path issued = work.resolve("server.pem");
        Path caPem = work.resolve("ca.pem");
        keytool("-genkeypair", "-keystore", caStore, "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=netsnap lab CA", "-ext", "bc:c", "-validity", "3650");
        keytool("-exportcert", "-rfc", "-keystore", caStore, "-alias", "ca", "-file", caPem);
        keytool("-genkeypair", "-keystore", serverStore, "-alias", "conductor", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=conductor.lab.netsnap", "-validity", "3650");
        keytool("-certreq", "-keystore", serverStore, "-alias", "conductor", "-file", request);
        keytool("-gencert", "-rfc", "-keystore", caStore, "-alias", "ca", "-infile", request, "-outfile", issued,
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-validity", "3650");
        keytool("-importcert", "-noprompt", "-keystore", serverStore, "-alias", "ca", "-file", caPem);
        keytool("-importcert", "-keystore", serverStore, "-alias", "conductor", "-file", issued);
        Files.move(caPem, ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(serverStore, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var files = Files.list(work)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(work);
    }

    private static void keytool(Object... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        command.addAll(List.of("-storepass", STORE_PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
