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

import java.time.Duration;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeProperties;
import dev.realtime.test.autoconfigure.AutoConfigureRealtimeServer.Replace;
import dev.realtime.test.server.RealtimeServer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of an embedded
 * {@link RealtimeServer}, imported by
 * {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer}.
 * <p>
 * Registers the following beans:
 * <ul>
 * <li>A started {@link RealtimeServer} named {@code realtimeServer}, configured with
 * {@link RealtimeTestServerProperties} and stopped when the context closes.</li>
 * <li>{@link dev.realtime.autoconfigure.RealtimeConnectionDetails
 * RealtimeConnectionDetails} that point at it, named
 * {@code realtimeServerConnectionDetails}.</li>
 * <li>A post-processor that then keeps either these connection details or the others in
 * the context, as {@code realtime.test.server.replace} says (see {@link Replace}).</li>
 * </ul>
 * It runs after {@link RealtimeAutoConfiguration}, so that the connection details
 * auto-configured from {@code realtime.url} exist when the post-processor chooses.
 *
 * @author Realtime team
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@EnableConfigurationProperties(RealtimeTestServerProperties.class)
public final class RealtimeServerAutoConfiguration {

	static final String SERVER_BEAN_NAME = "realtimeServer";

	static final String CONNECTION_DETAILS_BEAN_NAME = "realtimeServerConnectionDetails";

	RealtimeServerAutoConfiguration() {
	}

	@Bean(destroyMethod = "stop")
	RealtimeServer realtimeServer(RealtimeTestServerProperties properties) {
		RealtimeServer.Builder builder = RealtimeServer.builder()
			.key(key(properties.getKey()))
			.maxIdleInterval(positive("realtime.test.server.max-idle-interval", properties.getMaxIdleInterval()))
			.connectionStateTtl(
					positive("realtime.test.server.connection-state-ttl", properties.getConnectionStateTtl()));
		Duration heartbeatInterval = properties.getHeartbeatInterval();
		if (heartbeatInterval != null) {
			builder.heartbeatInterval(positive("realtime.test.server.heartbeat-interval", heartbeatInterval));
		}
		return builder.build().start();
	}

	@Bean
	RealtimeServerConnectionDetails realtimeServerConnectionDetails(
			@Qualifier(SERVER_BEAN_NAME) RealtimeServer realtimeServer, RealtimeTestServerProperties properties,
			ObjectProvider<RealtimeProperties> realtimeProperties) {
		RealtimeProperties client = realtimeProperties.getIfAvailable();
		return new RealtimeServerConnectionDetails(realtimeServer, properties.getKey(),
				(client != null) ? client.getClientId() : null);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RealtimeConnectionDetailsReplacer realtimeConnectionDetailsReplacer(Environment environment) {
		Replace replace = Binder.get(environment)
			.bind("realtime.test.server.replace", Replace.class)
			.orElse(Replace.NON_TEST);
		return new RealtimeConnectionDetailsReplacer(environment, replace, CONNECTION_DETAILS_BEAN_NAME);
	}

	private static String key(String key) {
		if (key.indexOf(':') < 1) {
			throw new InvalidConfigurationPropertyValueException("realtime.test.server.key", "<redacted>",
					"The key must have the form appId.keyId:secret.");
		}
		return key;
	}

	private static Duration positive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must be positive.");
		}
		return value;
	}

}
