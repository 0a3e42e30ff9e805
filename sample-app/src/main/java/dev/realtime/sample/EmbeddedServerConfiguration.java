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

package dev.realtime.sample;

import java.net.URI;

import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.test.server.RealtimeServer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs an embedded realtime server on a random port and points the realtime client at it
 * through a {@link RealtimeConnectionDetails} bean, which takes the place of
 * {@code realtime.url} and {@code realtime.key}.
 *
 * @author Realtime team
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.embedded-server.enabled", matchIfMissing = true)
class EmbeddedServerConfiguration {

	@Bean(destroyMethod = "stop")
	RealtimeServer realtimeServer(SampleProperties properties) {
		SampleProperties.EmbeddedServer settings = properties.getEmbeddedServer();
		return RealtimeServer.builder()
			.key(settings.getKey())
			.maxIdleInterval(settings.getMaxIdleInterval())
			.build()
			.start();
	}

	@Bean
	RealtimeConnectionDetails realtimeConnectionDetails(RealtimeServer server, SampleProperties properties) {
		String key = properties.getEmbeddedServer().getKey();
		return new RealtimeConnectionDetails() {

			@Override
			public URI getUrl() {
				return URI.create(server.url());
			}

			@Override
			public @Nullable String getKey() {
				return key;
			}

		};
	}

}
