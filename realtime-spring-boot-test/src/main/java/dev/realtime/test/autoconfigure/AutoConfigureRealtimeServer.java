/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.test.server.RealtimeServer;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.container.ContainerImageMetadata;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.PropertyMapping.Skip;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Annotation for a {@code @SpringBootTest} class that starts an embedded
 * {@link RealtimeServer} on a random loopback port for the test's application context and
 * points the auto-configured {@link dev.realtime.client.RealtimeClient RealtimeClient} at
 * it, with neither properties nor a container: <pre class="code">
 * &#064;SpringBootTest
 * &#064;AutoConfigureRealtimeServer
 * class OrderFeedTests {
 *
 *     &#064;Autowired
 *     RealtimeServer server;
 *
 * }
 * </pre>
 * <p>
 * The server is a bean named {@code realtimeServer}, to inject for assertions and fault
 * injection; it stops when the context closes, after the client has closed. Contexts are
 * cached between test classes, so before each test method the server's faults are undone
 * and its statistics cleared, as {@link dev.realtime.test.junit.RealtimeServerExtension
 * RealtimeServerExtension} does.
 * <p>
 * The client finds the server through a {@link RealtimeConnectionDetails} bean (its URL
 * and the server's key; the client id is still {@code realtime.client-id}) that takes the
 * place of other connection details as {@link #replace()} says: by default of
 * {@code realtime.url} and of the application's own bean, but not of a connection the
 * test itself declared.
 * <p>
 * The annotation imports the client's auto-configuration with the server's, so it works
 * in a test slice (such as {@code @WebMvcTest}) or a test without auto-configuration too.
 * <p>
 * Settings map to {@code realtime.test.server.*} properties, so they can also be set in a
 * test's {@code application.properties}; an attribute left at its default leaves the
 * property alone.
 *
 * @author Realtime team
 * @see RealtimeServerAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("realtime.test.server")
public @interface AutoConfigureRealtimeServer {

	/**
	 * API key the server accepts and the client presents, as {@code appId.keyId:secret}.
	 * Maps to {@code realtime.test.server.key}; {@code realtime.test:secret} unless set.
	 * @return the key
	 */
	@PropertyMapping(skip = Skip.ON_DEFAULT_VALUE)
	String key() default "";

	/**
	 * Longest the server stays silent on a healthy connection, as told to clients, such
	 * as {@code "2s"}. Maps to {@code realtime.test.server.max-idle-interval}; 15 s
	 * unless set.
	 * @return the interval
	 */
	@PropertyMapping(skip = Skip.ON_DEFAULT_VALUE)
	String maxIdleInterval() default "";

	/**
	 * How often the server sends a heartbeat on each connection, such as {@code "500ms"}.
	 * Maps to {@code realtime.test.server.heartbeat-interval}; half the max idle interval
	 * unless set.
	 * @return the interval
	 */
	@PropertyMapping(skip = Skip.ON_DEFAULT_VALUE)
	String heartbeatInterval() default "";

	/**
	 * How long the server keeps a connection's state after its WebSocket dropped, as told
	 * to clients, such as {@code "30s"}. Maps to
	 * {@code realtime.test.server.connection-state-ttl}; 2 min unless set.
	 * @return the time to live
	 */
	@PropertyMapping(skip = Skip.ON_DEFAULT_VALUE)
	String connectionStateTtl() default "";

	/**
	 * Which connection details the embedded server's take the place of. Maps to
	 * {@code realtime.test.server.replace}.
	 * @return what to replace
	 */
	@PropertyMapping(skip = Skip.ON_DEFAULT_VALUE)
	Replace replace() default Replace.NON_TEST;

	/**
	 * Which {@link RealtimeConnectionDetails} the embedded server's take the place of.
	 */
	enum Replace {

		/**
		 * Replace any connection details, the auto-configured ones from
		 * {@code realtime.url} and the application's own, unless they connect to a test
		 * server: a bean that carries {@link ContainerImageMetadata} (a
		 * {@code @ServiceConnection} container) or a {@code realtime.url} set by a
		 * {@link DynamicPropertySource @DynamicPropertySource}. Those the test declared
		 * itself, so they win.
		 */
		NON_TEST,

		/**
		 * Replace any connection details, whether auto-configured, the application's own,
		 * or a test's.
		 */
		ANY,

		/**
		 * Replace only the connection details auto-configured from {@code realtime.url};
		 * a {@link RealtimeConnectionDetails} bean of the application's wins.
		 */
		AUTO_CONFIGURED,

		/**
		 * Replace nothing: the server runs and can be injected, and the client connects
		 * where the application says.
		 */
		NONE

	}

}
