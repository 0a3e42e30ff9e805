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

package dev.realtime.autoconfigure.metrics;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.client.RealtimeClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link RealtimeClientMetrics}.
 * Spring Boot's metrics auto-configuration binds it to the application's
 * {@link MeterRegistry}.
 *
 * @author Realtime team
 */
@AutoConfiguration(after = { RealtimeAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ RealtimeClient.class, MeterRegistry.class, MeterBinder.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(RealtimeClient.class)
public final class RealtimeMetricsAutoConfiguration {

	RealtimeMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RealtimeClientMetrics realtimeClientMetrics(RealtimeClient client) {
		return new RealtimeClientMetrics(client);
	}

}
