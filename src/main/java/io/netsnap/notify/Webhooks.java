package io.netsnap.notify;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.netsnap.credentials.TrustBundles;

/**
 * Posts JSON to webhooks with Apache HttpClient 5: TLS verified against {@code netsnap.notify.ca-bundle} or the
 * JVM's trust store, connect and read timeouts, no redirects (a redirect would take the body elsewhere), no retries
 * (the next run end is the retry). A webhook URL holds its token, so nothing here ever shows more of it than
 * {@link #shown(URI)}.
 */
@Component
class Webhooks implements DisposableBean {

    private final CloseableHttpClient client;

    Webhooks(NotifyProperties properties) {
        Timeout timeout = Timeout.of(properties.timeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(
                                TrustBundles.sslContext(properties.caBundle(), "netsnap.notify.ca-bundle")))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .build();
    }

    /**
     * Posts {@code json} to {@code url}.
     *
     * @throws NotifyException when the webhook is unreachable or answers other than 2xx; the message names the host
     *                         and the status, never the URL's path or the answer's body
     */
    void post(URI url, String json) {
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        try {
            int status = client.execute(post, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
            if (status / 100 != 2) {
                throw new NotifyException(shown(url) + " answered HTTP " + status);
            }
        } catch (IOException e) {
            // HttpClient's messages name host and port at most; cut the URL out all the same, in case one does not
            throw new NotifyException(shown(url) + ": " + e.getClass().getSimpleName() + ": "
                    + Text.oneLine(String.valueOf(e.getMessage()).replace(url.toString(), shown(url))
                    .replace(String.valueOf(url.getRawPath()), "/..."), 160));
        }
    }

    /** What may be shown of a webhook URL: scheme, host and port; the path (the token) never. */
    static String shown(URI url) {
        if (url == null) {
            return "<unset>";
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }
}
