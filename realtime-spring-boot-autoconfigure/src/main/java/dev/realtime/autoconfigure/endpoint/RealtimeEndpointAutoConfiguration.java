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
import java.util.LinkedHashMap;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeClients;
import dev.realtime.client.RealtimeClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link RealtimeEndpoint},
 * which shows every {@link RealtimeClient} by the name of its connection. Like most
 * endpoints it is not exposed unless asked for, for example with
 * {@code management.endpoints.web.exposure.include=health,realtime}.
 *
 * @author Realtime team
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass({ RealtimeClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(RealtimeClient.class)
@ConditionalOnAvailableEndpoint(RealtimeEndpoint.class)
public final class RealtimeEndpointAutoConfiguration {

	RealtimeEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RealtimeEndpoint realtimeEndpoint(ListableBeanFactory beanFactory, ObjectProvider<Clock> clock) {
		// The application's Clock stamps state changes, as it stamps events
		Clock stamps = clock.getIfUnique(Clock::systemUTC);
		Map<String, RealtimeEndpoint.Connection> connections = new LinkedHashMap<>();
		RealtimeClients.byConnectionName(beanFactory)
			.forEach((name, client) -> connections.put(name,
					new RealtimeEndpoint.Connection(client, new RealtimeConnectionHistory(client.connection(), stamps,
							RealtimeConnectionHistory.DEFAULT_CAPACITY))));
		return new RealtimeEndpoint(connections);
	}

}
