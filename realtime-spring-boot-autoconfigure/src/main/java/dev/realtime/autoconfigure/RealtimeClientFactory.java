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

package dev.realtime.autoconfigure;

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.transport.TransportFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Builds every auto-configured {@link RealtimeClient} the same way: on the realtime
 * scheduler, with its connection's transport factory and token provider, then customized
 * by each {@link RealtimeClientCustomizer} in order.
 *
 * @author Realtime team
 */
final class RealtimeClientFactory {

	private final TaskScheduler scheduler;

	private final ObjectProvider<RealtimeClientCustomizer> customizers;

	RealtimeClientFactory(TaskScheduler scheduler, ObjectProvider<RealtimeClientCustomizer> customizers) {
		this.scheduler = scheduler;
		this.customizers = customizers;
	}

	/**
	 * Build the client of a connection.
	 * @param connection the properties of the connection
	 * @param options its options
	 * @param transportFactory the factory that opens its transports
	 * @param tokenProvider its token provider, or {@code null}
	 * @return the client
	 * @throws InvalidConfigurationPropertyValueException for a token provider together
	 * with a key
	 */
	RealtimeClient create(ConnectionProperties connection, RealtimeClientOptions options,
			TransportFactory transportFactory, @Nullable RealtimeTokenProvider tokenProvider) {
		// Protocol timing is monotonic: the application's Clock stamps events and
		// health only, and a test that needs virtual time sets a Ticker through a
		// customizer
		RealtimeClient.Builder builder = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.transportFactory(transportFactory);
		if (tokenProvider != null) {
			if (options.key() != null) {
				throw new InvalidConfigurationPropertyValueException(connection.propertyName("key"), "******",
						"A RealtimeTokenProvider bean cannot be used together with a key: remove one of them.");
			}
			// Takes precedence over a static token
			builder.tokenProvider(tokenProvider);
		}
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

}
