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

package dev.realtime.autoconfigure.health;

import java.time.Clock;
import java.util.Map;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeClients;
import dev.realtime.client.RealtimeClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link RealtimeHealthIndicator},
 * contributed as {@code realtime} and switched off with
 * {@code management.health.realtime.enabled=false}. With one {@link RealtimeClient}, the
 * contributor is its indicator; with several, it is a composite of one indicator per
 * connection, by connection name ({@code /actuator/health/realtime/<name>}).
 *
 * @author Realtime team
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass({ RealtimeClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RealtimeClient.class)
@ConditionalOnEnabledHealthIndicator("realtime")
public final class RealtimeHealthContributorAutoConfiguration {

	RealtimeHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = { "realtimeHealthIndicator", "realtimeHealthContributor" })
	HealthContributor realtimeHealthIndicator(ListableBeanFactory beanFactory, ObjectProvider<Clock> clock) {
		Clock stamps = clock.getIfUnique(Clock::systemUTC);
		Map<String, RealtimeClient> clients = RealtimeClients.byConnectionName(beanFactory);
		if (clients.size() == 1) {
			return new RealtimeHealthIndicator(clients.values().iterator().next(), stamps);
		}
		return CompositeHealthContributor.fromMap(clients, (client) -> new RealtimeHealthIndicator(client, stamps));
	}

}
