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

import java.net.URI;
import java.util.List;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeClientCustomizer;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.FakeTransportFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeMetricsAutoConfiguration}.
 *
 * @author Realtime team
 */
class RealtimeMetricsAutoConfigurationTests {

	// Listed before the configurations it must follow, which the sorting puts first
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeMetricsAutoConfiguration.class,
				RealtimeAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=false");

	@Test
	void theAutoConfigurationIsRegistered() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
			.contains(RealtimeMetricsAutoConfiguration.class.getName());
	}

	@Nested
	class WithAMeterRegistry {

		@Test
		void theClientsMetersAreBoundToTheRegistry() {
			contextRunner.run((context) -> {
				assertThat(context).hasSingleBean(RealtimeClientMetrics.class).hasBean("realtimeClientMetrics");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("realtime.connection.state").gauges()).hasSize(8);
				assertThat(registry.get("realtime.connection.state").tag("state", "initialized").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("realtime.frames.malformed").functionCounter().count()).isZero();
				assertThat(registry.get("realtime.frames.unhandled").functionCounter().count()).isZero();
			});
		}

		@Test
		void theMetersFollowTheConnectionOnceTheApplicationStarts() {
			FakeTransportFactory transports = new FakeTransportFactory().answerAsServer().answerAsynchronously();
			contextRunner.withPropertyValues("realtime.auto-connect=true")
				.withBean(RealtimeClientCustomizer.class, () -> (builder) -> builder.transportFactory(transports))
				.run((context) -> {
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					await().untilAsserted(() -> {
						assertThat(registry.get("realtime.connection.state").tag("state", "connected").gauge().value())
							.isEqualTo(1);
						assertThat(registry.get("realtime.connection.transitions")
							.tags("from", "connecting", "to", "connected")
							.counter()
							.count()).isEqualTo(1);
					});
					assertThat(transports.opened()).hasSize(1);
				});
		}

		@Test
		void theMetersOfEachConnectionAreTaggedWithItsName() {
			contextRunner.withPropertyValues("realtime.connections.prices.url=ws://localhost:2/").run((context) -> {
				assertThat(context).hasBean("realtimeClientMetrics").doesNotHaveBean(RealtimeClientMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String connection : List.of("default", "prices")) {
					assertThat(registry.find("realtime.connection.state").tag("connection", connection).gauges())
						.as(connection)
						.hasSize(8);
					assertThat(registry.get("realtime.frames.malformed")
						.tag("connection", connection)
						.functionCounter()
						.count()).isZero();
				}
			});
		}

		@Test
		void clientsOfTheApplicationAreMeasuredEachUnderItsName() {
			contextRunner.withUserConfiguration(TwoClientsConfiguration.class).run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("realtime.connection.state").gauges())
					.extracting((gauge) -> gauge.getId().getTag("connection"))
					.containsOnly("first", "second")
					.hasSize(16);
			});
		}

		@Test
		void aUserDefinedBinderReplacesTheAutoConfiguredOne() {
			contextRunner.withUserConfiguration(UserMetricsConfiguration.class).run((context) -> {
				assertThat(context).hasSingleBean(RealtimeClientMetrics.class)
					.hasBean("userMetrics")
					.doesNotHaveBean("realtimeClientMetrics");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("realtime.connection.state").gauges()).hasSize(8)
					.allSatisfy((gauge) -> assertThat(gauge.getId().getTags()).contains(Tag.of("client", "feed")));
			});
		}

	}

	@Nested
	class WithoutMetrics {

		private final ApplicationContextRunner withoutMetricsAutoConfiguration = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RealtimeAutoConfiguration.class, RealtimeMetricsAutoConfiguration.class))
			.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=false");

		@Test
		void withoutMicrometerThereIsNoBinder() {
			this.withoutMetricsAutoConfiguration.withBean(SimpleMeterRegistry.class)
				.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
				.run((context) -> assertThat(context).hasSingleBean(RealtimeClient.class)
					.doesNotHaveBean(RealtimeClientMetrics.class));
		}

		@Test
		void withMicrometerAndAMeterRegistryOfItsOwnTheApplicationGetsABinder() {
			this.withoutMetricsAutoConfiguration.withBean(SimpleMeterRegistry.class)
				.run((context) -> assertThat(context).hasSingleBean(RealtimeClientMetrics.class));
		}

		@Test
		void withoutAMeterRegistryThereIsNoBinder() {
			this.withoutMetricsAutoConfiguration
				.run((context) -> assertThat(context).hasSingleBean(RealtimeClient.class)
					.doesNotHaveBean(RealtimeClientMetrics.class));
		}

		@Test
		void withoutARealtimeClientThereIsNoBinder() {
			contextRunner.withPropertyValues("realtime.enabled=false").run((context) -> {
				assertThat(context).hasSingleBean(MeterRegistry.class).doesNotHaveBean(RealtimeClientMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).find("realtime.connection.state").gauges()).isEmpty();
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		RealtimeClientMetrics userMetrics(RealtimeClient client) {
			return new RealtimeClientMetrics(client, Tags.of("client", "feed"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoClientsConfiguration {

		@Bean
		RealtimeClient firstClient() {
			return client("first");
		}

		@Bean
		RealtimeClient secondClient() {
			return client("second");
		}

		private static RealtimeClient client(String name) {
			return RealtimeClient
				.builder(RealtimeClientOptions.builder(URI.create("ws://localhost:1/")).name(name).build())
				.scheduler(new ThreadPoolTaskScheduler())
				.build();
		}

	}

}
