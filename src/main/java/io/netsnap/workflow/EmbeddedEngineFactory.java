package io.netsnap.workflow;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import io.camunda.zeebe.db.ZeebeDb;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.engine.InMemoryEngine;
import io.camunda.zeebe.protocol.ZbColumnFamilies;
import io.camunda.zeebe.stream.impl.StreamProcessor;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;

/**
 * {@link EngineFactory#create(int)} with two differences: the gRPC gateway bound to a chosen address instead of every
 * interface, and the engine's state in RocksDB ({@link EngineState}) instead of the in-memory map.
 *
 * <p>Why the gateway: in zeebe-process-test-engine 8.8.21 the factory builds its gateway with
 * {@code ServerBuilder.forPort(port)}, which listens on {@code *:port}, and offers no way to pass an address. The
 * gateway has no authentication, so that would let anyone on the network deploy processes and start instances.
 * Why the state: see {@link EngineState}; the in-memory map makes the engine's work grow with the square of a fleet.
 *
 * <p>The engine's parts (log, stream processor, gateway service, ...) are package-private and can only be wired by the
 * factory, so this class lets the factory build them all, then assembles the engine again through
 * {@link InMemoryEngine}'s public constructor: a gRPC server with the same gateway service, bound to the given
 * address, and the RocksDB state, which the stream processor (not started yet) is pointed at too. The factory's own
 * server is dropped before it was ever started, so it never binds; its in-memory state is never opened.
 *
 * <p>The engine's fields are matched to the constructor's parameters by type, not by name. When this engine version
 * is built differently, {@link #create} fails rather than fall back to a gateway on every interface.
 */
final class EmbeddedEngineFactory {

    private EmbeddedEngineFactory() {
    }

    /** A stopped engine whose gateway will listen on {@code gateway} once started. */
    @SuppressWarnings("unchecked")
    static ZeebeTestEngine create(InetSocketAddress gateway) {
        ZeebeTestEngine built = EngineFactory.create(gateway.getPort());
        if (!(built instanceof InMemoryEngine)) {
            throw unexpected("the factory built a " + built.getClass().getName());
        }
        Constructor<?>[] constructors = InMemoryEngine.class.getConstructors();
        if (constructors.length != 1) {
            throw unexpected(constructors.length + " public constructors on InMemoryEngine");
        }
        Constructor<?> constructor = constructors[0];
        Class<?>[] types = constructor.getParameterTypes();
        Object[] arguments = new Object[types.length];
        int servers = 0;
        int states = 0;
        ZeebeDb<ZbColumnFamilies> state = rocksDbOrNull();
        if (state == null) {
            // the library's own state, as built: slow for large fleets, but the engine runs
            state = (ZeebeDb<ZbColumnFamilies>) fieldOfType(built, ZeebeDb.class);
        }
        try {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Server.class) {
                    servers++;
                    arguments[i] = NettyServerBuilder.forAddress(gateway).addService(gatewayService(built)).build();
                } else if (types[i] == ZeebeDb.class) {
                    states++;
                    arguments[i] = state;
                } else {
                    arguments[i] = fieldOfType(built, types[i]);
                }
            }
            if (servers != 1) {
                throw unexpected(servers + " gRPC servers in InMemoryEngine's constructor");
            }
            if (states != 1) {
                throw unexpected(states + " databases in InMemoryEngine's constructor");
            }
            if (state instanceof EngineState.Removing) {
                useState((StreamProcessor) fieldOfType(built, StreamProcessor.class), state);
            }
            return (ZeebeTestEngine) constructor.newInstance(arguments);
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                state.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IllegalStateException unexpected ? unexpected : unexpected(e.toString());
        }
    }

    /**
     * The RocksDB state, or {@code null} when RocksDB cannot run here (its native library cannot be loaded, say from a
     * {@code noexec} temporary folder): the engine then keeps the library's in-memory state, which is slow for large
     * fleets but correct.
     */
    private static ZeebeDb<ZbColumnFamilies> rocksDbOrNull() {
        try {
            return EngineState.open();
        } catch (RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(EmbeddedEngineFactory.class).warn("The embedded engine keeps its state"
                    + " in memory: RocksDB cannot run here ({}); large runs will be slow", e.toString());
            return null;
        }
    }

    /**
     * Points the stream processor, not yet started, at {@code state}: it opens its transaction context, key generator
     * and engine state from that database when it starts, and from nothing else.
     */
    private static void useState(StreamProcessor processor, ZeebeDb<ZbColumnFamilies> state)
            throws ReflectiveOperationException {
        Field field = StreamProcessor.class.getDeclaredField("zeebeDb");
        if (field.getType() != ZeebeDb.class) {
            throw unexpected("StreamProcessor.zeebeDb is a " + field.getType().getName());
        }
        field.setAccessible(true);
        field.set(processor, state);
    }

    private static BindableService gatewayService(Object engine) {
        BindableService service = null;
        for (Field field : instanceFields()) {
            if (BindableService.class.isAssignableFrom(field.getType())) {
                if (service != null) {
                    throw unexpected("more than one gRPC service in InMemoryEngine");
                }
                service = (BindableService) read(engine, field);
            }
        }
        if (service == null) {
            throw unexpected("no gRPC service in InMemoryEngine");
        }
        return service;
    }

    private static Object fieldOfType(Object engine, Class<?> type) {
        Field match = null;
        for (Field field : instanceFields()) {
            if (field.getType() == type) {
                if (match != null) {
                    throw unexpected("two fields of type " + type.getName() + " in InMemoryEngine");
                }
                match = field;
            }
        }
        if (match == null) {
            throw unexpected("no field of type " + type.getName() + " in InMemoryEngine");
        }
        return read(engine, match);
    }

    private static List<Field> instanceFields() {
        return Arrays.stream(InMemoryEngine.class.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .toList();
    }

    private static Object read(Object engine, Field field) {
        try {
            field.setAccessible(true);
            return field.get(engine);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unexpected("cannot read InMemoryEngine." + field.getName() + ": " + e);
        }
    }

    private static IllegalStateException unexpected(String detail) {
        return new IllegalStateException("Cannot assemble the embedded engine (its gateway on one address, its"
                + " state in RocksDB): this zeebe-process-test-engine is built differently than 8.8.21 (" + detail
                + ")");
    }
}
