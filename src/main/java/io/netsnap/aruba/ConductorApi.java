package io.netsnap.aruba;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.TrustBundles;
import io.netsnap.device.DeviceException;
import io.netsnap.inventory.Device;

/**
 * The ArubaOS 8 REST API on the wire, with Apache HttpClient 5: login, configuration objects, show commands, logout.
 * One verifying client for every conductor (CA bundle or the JVM's trust store); a device marked {@code insecure} in
 * the inventory gets a second client that skips certificate checks, and every use of it is logged as a warning.
 *
 * <p>Request and response bodies are never logged: the {@code copy_flash_scp} body carries the SCP password and the
 * login answer carries the session id. Messages quote the conductor's {@code status_str} only after every secret of
 * the call has been cut out of it.
 */
@Component
class ConductorApi implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConductorApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Configuration objects act on the managed-device hierarchy, as the conductor backup scripts do. */
    private static final String CONFIG_PATH = "/md";
    private static final int MAX_SHOWN = 200;

    private final ArubaProperties properties;
    private final CloseableHttpClient verifying;
    private volatile CloseableHttpClient insecure;

    ConductorApi(ArubaProperties properties) {
        this.properties = properties;
        this.verifying = client(new DefaultClientTlsStrategy(
                TrustBundles.sslContext(properties.caBundle(), "netsnap.aruba.ca-bundle")));
    }

    /** An authenticated session: what the API calls need, kept only in the worker process. */
    record Login(String uid, String csrf) {
        @Override
        public String toString() {
            return "Login[<redacted>]";
        }
    }

    /** The session was refused as expired or unknown: log in again. */
    static final class SessionExpired extends RuntimeException {
        SessionExpired() {
            super("session expired", null, false, false);
        }
    }

    /** {@code POST /v1/api/login}, form-encoded. */
    Login login(Device device, Credentials credentials) {
        HttpPost post = new HttpPost(base(device) + "/v1/api/login");
        post.setEntity(new UrlEncodedFormEntity(List.of(new BasicNameValuePair("username", credentials.username()),
                new BasicNameValuePair("password", credentials.password() == null ? "" : credentials.password())),
                StandardCharsets.UTF_8));
        Reply reply = send(device, "login", post, s -> redact(s, credentials.password()));
        JsonNode result = reply.body.path("_global_result");
        if (reply.status / 100 != 2 || !ok(result)) {
            throw new DeviceException.Authentication(device.name(), "the conductor refused the login of user '"
                    + credentials.username() + "' (credentials from Vault path " + device.credentials() + "): HTTP "
                    + reply.status + ", " + shown(result, s -> redact(s, credentials.password())));
        }
        String uid = result.path("UIDARUBA").asText("");
        if (uid.isEmpty()) {
            throw new DeviceException.Protocol(device.name(), "the conductor accepted the login but sent no UIDARUBA");
        }
        String csrf = result.path("X-CSRF-Token").asText("");
        if (csrf.isEmpty() && reply.csrfHeader != null) {
            csrf = reply.csrfHeader;
        }
        return new Login(uid, csrf.isEmpty() ? null : csrf);
    }

    /**
     * {@code POST /v1/configuration/object/<name>?config_path=/md} with a JSON body.
     *
     * @param secrets values in the body that must never be quoted back (e.g. the SCP password)
     * @throws SessionExpired when the conductor no longer knows the session
     */
    void post(Device device, Login login, String object, Map<String, Object> body, List<String> secrets) {
        HttpPost post = new HttpPost(base(device) + "/v1/configuration/object/" + object + "?config_path="
                + encode(CONFIG_PATH) + "&UIDARUBA=" + encode(login.uid()));
        try {
            post.setEntity(new StringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the body of " + object, e);
        }
        authenticate(post, login);
        UnaryOperator<String> clean = s -> redact(redact(redact(s, login.uid()), login.csrf()), secrets);
        Reply reply = send(device, object, post, clean);
        expiredOrCsrf(device, object, reply, login, clean);
        JsonNode result = reply.body.path("_global_result");
        if (reply.status / 100 != 2 || !ok(result)) {
            throw new DeviceException.Protocol(device.name(), object + " failed on the conductor: HTTP "
                    + reply.status + ", " + shown(result, clean));
        }
    }

    /** {@code GET /v1/configuration/showcommand?command=...}: the output lines ({@code _data}). */
    List<String> show(Device device, Login login, String command) {
        HttpGet get = new HttpGet(base(device) + "/v1/configuration/showcommand?command=" + encode(command)
                + "&UIDARUBA=" + encode(login.uid()));
        authenticate(get, login);
        UnaryOperator<String> clean = s -> redact(redact(s, login.uid()), login.csrf());
        Reply reply = send(device, command, get, clean);
        expiredOrCsrf(device, command, reply, login, clean);
        JsonNode data = reply.body.path("_data");
        if (reply.status / 100 != 2 || !data.isArray()) {
            throw new DeviceException.UnsupportedCommand(device.name(), command, "HTTP " + reply.status + ", "
                    + shown(reply.body.path("_global_result"), clean));
        }
        return java.util.stream.StreamSupport.stream(data.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** {@code GET /v1/api/logout}. */
    void logout(Device device, Login login) {
        HttpGet get = new HttpGet(base(device) + "/v1/api/logout?UIDARUBA=" + encode(login.uid()));
        authenticate(get, login);
        UnaryOperator<String> clean = s -> redact(redact(s, login.uid()), login.csrf());
        Reply reply = send(device, "logout", get, clean);
        if (reply.status / 100 != 2) {
            throw new DeviceException.Protocol(device.name(), "logout answered HTTP " + reply.status + ", "
                    + shown(reply.body.path("_global_result"), clean));
        }
    }

    private static void authenticate(HttpUriRequestBase request, Login login) {
        request.addHeader("Cookie", "SESSION=" + login.uid());
        if (login.csrf() != null) {
            request.addHeader("X-CSRF-Token", login.csrf());
        }
    }

    private static void expiredOrCsrf(Device device, String call, Reply reply, Login login,
                                      UnaryOperator<String> clean) {
        if (reply.status != 401 && reply.status != 403) {
            return;
        }
        String text = reply.body.path("_global_result").path("status_str").asText("").toLowerCase(Locale.ROOT);
        if (text.contains("csrf")) {
            throw new DeviceException.Protocol(device.name(), call + " refused by the conductor for its CSRF token "
                    + (login.csrf() == null ? "(the login answer carried no X-CSRF-Token, so none was sent)"
                            : "(the X-CSRF-Token from the login was not accepted)")
                    + ": HTTP " + reply.status + ", " + shown(reply.body.path("_global_result"), clean));
        }
        throw new SessionExpired();
    }

    private record Reply(int status, JsonNode body, String csrfHeader) {
    }

    private Reply send(Device device, String call, HttpUriRequestBase request, UnaryOperator<String> clean) {
        CloseableHttpClient client = client(device);
        try {
            return client.execute(request, response -> {
                String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(),
                        StandardCharsets.UTF_8);
                JsonNode body;
                try {
                    body = text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
                } catch (IOException notJson) {
                    body = MissingNode.getInstance();
                }
                Header csrf = response.getFirstHeader("X-CSRF-Token");
                return new Reply(response.getCode(), body, csrf == null ? null : csrf.getValue());
            });
        } catch (IOException e) {
            throw transportFailure(device, call, e);
        }
    }

    private DeviceException transportFailure(Device device, String call, IOException e) {
        String endpoint = base(device);
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertificateException
                    || cause instanceof SSLPeerUnverifiedException) {
                return new DeviceException.Protocol(device.name(), "TLS certificate of " + endpoint
                        + " refused: it is not issued by a CA netsnap trusts ("
                        + (properties.caBundle() == null ? "the JVM's trust store; set netsnap.aruba.ca-bundle"
                                : "netsnap.aruba.ca-bundle " + properties.caBundle())
                        + ") or does not name the host " + device.host());
            }
        }
        if (e instanceof SSLException) {
            return new DeviceException.Protocol(device.name(), "TLS with " + endpoint + " failed during " + call
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        if (e instanceof SocketTimeoutException) {
            return new DeviceException.Timeout(device.name(), "no answer from " + endpoint + " to " + call
                    + " within " + properties.readTimeout().toSeconds() + " s");
        }
        String reason = e instanceof ConnectException ? "connection refused"
                : e instanceof UnknownHostException ? "unknown host " + device.host()
                : e instanceof NoRouteToHostException ? "no route to host"
                : e.getClass().getSimpleName();
        return new DeviceException.Unreachable(device.name(), "cannot reach " + endpoint + " (" + reason + ")", null);
    }

    private CloseableHttpClient client(Device device) {
        if (!device.insecure()) {
            return verifying;
        }
        log.warn("{}: TLS certificate NOT verified (insecure: true in the inventory); anyone on the path can read "
                + "the conductor's credentials and the SCP password", device.name());
        CloseableHttpClient current = insecure;
        if (current == null) {
            synchronized (this) {
                if (insecure == null) {
                    insecure = client(new DefaultClientTlsStrategy(unverifiedContext(), NoopHostnameVerifier.INSTANCE));
                }
                current = insecure;
            }
        }
        return current;
    }

    private CloseableHttpClient client(DefaultClientTlsStrategy tls) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                                .setSocketTimeout(Timeout.of(properties.readTimeout())).build())
                        .build())
                // sessions are kept by hand (SESSION cookie + UIDARUBA), per conductor, never in a shared jar
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .build();
    }

    private static String base(Device device) {
        String host = device.host().contains(":") ? "[" + device.host() + "]" : device.host();
        return "https://" + host + ":" + device.port();
    }

    private static boolean ok(JsonNode result) {
        JsonNode status = result.path("status");
        // some firmware answers "0", some 0
        return status.isNumber() ? status.asInt() == 0 : "0".equals(status.asText(null));
    }

    private static String shown(JsonNode result, UnaryOperator<String> clean) {
        String text = result.path("status_str").asText("");
        if (text.isBlank()) {
            return result.has("status") ? "status " + result.path("status").asText() : "no _global_result";
        }
        String cleaned = clean.apply(text).replaceAll("\\p{Cntrl}", " ").strip();
        return "'" + (cleaned.length() > MAX_SHOWN ? cleaned.substring(0, MAX_SHOWN) + "..." : cleaned) + "'";
    }

    static String redact(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "<removed>");
    }

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            out = redact(out, secret);
        }
        return out;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Only for devices the inventory marks {@code insecure: true}; never a default. */
    private static SSLContext unverifiedContext() {
        TrustManager acceptAny = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {acceptAny}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    @Override
    public void destroy() throws IOException {
        verifying.close();
        if (insecure != null) {
            insecure.close();
        }
    }
}
