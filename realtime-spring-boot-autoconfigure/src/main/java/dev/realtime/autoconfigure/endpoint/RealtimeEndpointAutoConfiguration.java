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

package dev.realtime.autoconfigure.endpoint;

import java.time.Clock;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.client.RealtimeClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link RealtimeEndpoint}.
 * Like most endpoints it is not exposed unless asked for, for example with
 * {@code management.endpoints.web.exposure.include=health,realtime}.
 *
 * @author Realtime team
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass({ RealtimeClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnSingleCandidate(RealtimeClient.class)
@ConditionalOnAvailableEndpoint(RealtimeEndpoint.class)
public final class RealtimeEndpointAutoConfiguration {

	RealtimeEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RealtimeEndpoint realtimeEndpoint(RealtimeClient client, ObjectProvider<Clock> clock) {
		// The application's Clock stamps state changes, as it stamps events
		RealtimeConnectionHistory history = new RealtimeConnectionHistory(client.connection(),
				clock.getIfUnique(Clock::systemUTC), RealtimeConnectionHistory.DEFAULT_CAPACITY);
		return new RealtimeEndpoint(
				Map.of(RealtimeEndpoint.DEFAULT_CONNECTION_NAME, new RealtimeEndpoint.Connection(client, history)));
	}

}
