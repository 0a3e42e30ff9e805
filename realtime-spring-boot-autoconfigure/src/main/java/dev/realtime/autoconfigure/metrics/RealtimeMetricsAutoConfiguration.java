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

import java.util.List;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeClients;
import dev.realtime.client.RealtimeClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@link RealtimeClientMetrics}:
 * one for each {@link RealtimeClient}, its meters tagged with the name of its connection.
 * Spring Boot's metrics auto-configuration binds them to the application's
 * {@link MeterRegistry}. A {@code RealtimeClientMetrics} bean of the application's
 * replaces them all.
 *
 * @author Realtime team
 */
@AutoConfiguration(after = { RealtimeAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ RealtimeClient.class, MeterRegistry.class, MeterBinder.class })
@ConditionalOnBean({ MeterRegistry.class, RealtimeClient.class })
public final class RealtimeMetricsAutoConfiguration {

	RealtimeMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(RealtimeClientMetrics.class)
	MeterBinder realtimeClientMetrics(ListableBeanFactory beanFactory) {
		List<RealtimeClientMetrics> binders = RealtimeClients.byConnectionName(beanFactory)
			.entrySet()
			.stream()
			.map((client) -> new RealtimeClientMetrics(client.getValue(), client.getKey(), Tags.empty()))
			.toList();
		if (binders.size() == 1) {
			return binders.get(0);
		}
		return (registry) -> binders.forEach((binder) -> binder.bindTo(registry));
	}

}
