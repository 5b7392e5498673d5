package io.netsnap.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every setting netsnap understands, so that a recipe in {@code deploy/} can be checked for names that bind to
 * nothing (Spring ignores an unknown environment variable silently). The keys come from netsnap's own
 * {@code @ConfigurationProperties} records, from the configuration metadata of the libraries on the class path
 * (Camunda's starter, Spring Boot), and from the few keys netsnap reads before binding.
 */
final class SettingKeys {

    /** Read from the environment by {@code EngineModeEnvironment}, before any record is bound. */
    private static final Set<String> ENGINE_KEYS = Set.of("netsnap.engine.mode", "netsnap.engine.embedded-address",
            "netsnap.engine.embedded-port");

    /**
     * Spring Boot Actuator keys the recipes set. Actuator arrives with the metrics work on another branch; until its
     * metadata is on this class path these are named here (Spring Boot's documented keys).
     */
    private static final Set<String> ACTUATOR_KEYS = Set.of("management.server.port", "management.server.address",
            "management.endpoint.health.probes.enabled", "management.endpoint.health.show-details");

    private final Set<String> exact = new TreeSet<>();
    private final Set<String> prefixes = new TreeSet<>();

    SettingKeys() {
        exact.addAll(ENGINE_KEYS);
        exact.addAll(ACTUATOR_KEYS);
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.netsnap")) {
            Class<?> type = load(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
            addRecord(prefix, type);
        }
        try {
            for (String resource : new String[] {"META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json"}) {
                for (URL url : Collections.list(getClass().getClassLoader().getResources(resource))) {
                    try (InputStream in = url.openStream()) {
                        JsonNode properties = new ObjectMapper().readTree(in).path("properties");
                        for (JsonNode property : properties) {
                            String name = property.path("name").asText();
                            String propertyType = property.path("type").asText("");
                            (propertyType.startsWith("java.util.Map") ? prefixes : exact).add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code key} (dotted, kebab-case) is a setting. */
    boolean isKey(String key) {
        String uniform = uniform(key);
        return exact.stream().anyMatch(k -> uniform(k).equals(uniform))
                || prefixes.stream().anyMatch(p -> uniform.startsWith(uniform(p) + "."));
    }

    /** Whether {@code name}, an environment variable, binds to a setting as Spring Boot maps it. */
    boolean isEnvironmentName(String name) {
        String wanted = name.toUpperCase();
        return exact.stream().anyMatch(k -> environmentName(k).equals(wanted))
                || prefixes.stream().anyMatch(p -> wanted.startsWith(environmentName(p) + "_"));
    }

    /** Spring Boot's environment variable form of a key: upper case, dashes removed, dots as underscores. */
    static String environmentName(String key) {
        return key.replace("-", "").replace('.', '_').toUpperCase();
    }

    private static String uniform(String key) {
        return key.replace("-", "").toLowerCase();
    }

    private void addRecord(String prefix, Class<?> type) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + kebab(component.getName());
            Class<?> componentType = component.getType();
            if (componentType.isRecord() && componentType.getName().startsWith("io.netsnap")) {
                addRecord(key, componentType);
            } else if (Map.class.isAssignableFrom(componentType)) {
                prefixes.add(key);
            } else if (Collection.class.isAssignableFrom(componentType) && elementIsRecord(component)) {
                prefixes.add(key);
            } else {
                exact.add(key);
            }
        }
    }

    private static boolean elementIsRecord(RecordComponent component) {
        Type generic = component.getGenericType();
        return generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
