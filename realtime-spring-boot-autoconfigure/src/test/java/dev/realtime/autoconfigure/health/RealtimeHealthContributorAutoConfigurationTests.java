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

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RealtimeHealthContributorAutoConfiguration}.
 *
 * @author Realtime team
 */
class RealtimeHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
				RealtimeHealthContributorAutoConfiguration.class))
		.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=false");

	@Test
	void theIndicatorIsContributedAsRealtime() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RealtimeHealthIndicator.class).hasBean("realtimeHealthIndicator");
			assertThat(context.getBean(RealtimeHealthIndicator.class).health().getStatus())
				.isEqualTo(RealtimeHealthIndicator.RECONNECTING);
		});
	}

	@Test
	void theIndicatorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("management.health.realtime.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeHealthIndicator.class));
	}

	@Test
	void withoutARealtimeClientThereIsNoIndicator() {
		this.contextRunner.withPropertyValues("realtime.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeHealthIndicator.class));
	}

	@Test
	void withoutSpringBootHealthThereIsNoIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("realtimeHealthIndicator"));
	}

	@Test
	void aUserIndicatorOfTheSameNameWins() {
		HealthIndicator userIndicator = () -> Health.up().build();
		this.contextRunner.withBean("realtimeHealthIndicator", HealthIndicator.class, () -> userIndicator)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RealtimeHealthIndicator.class);
				assertThat(context.getBean("realtimeHealthIndicator")).isSameAs(userIndicator);
			});
	}

	@Nested
	class NamedConnections {

		@Test
		void withSeveralConnectionsTheContributorIsACompositeOfOneIndicatorPerConnection() {
			RealtimeHealthContributorAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://localhost:2/prices",
						"realtime.connections.orders.url=ws://localhost:3/orders")
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeHealthIndicator.class);
					CompositeHealthContributor composite = context.getBean("realtimeHealthIndicator",
							CompositeHealthContributor.class);
					assertThat(composite.stream()).extracting(HealthContributors.Entry::name)
						.containsExactlyInAnyOrder("default", "prices", "orders");
					assertThat(composite.stream()).extracting(HealthContributors.Entry::contributor)
						.allSatisfy((indicator) -> assertThat(indicator).isInstanceOf(RealtimeHealthIndicator.class));
					Health prices = ((HealthIndicator) composite.getContributor("prices")).health();
					assertThat(prices.getStatus()).isEqualTo(RealtimeHealthIndicator.RECONNECTING);
					assertThat(prices.getDetails()).containsEntry("url", "ws://localhost:2/prices");
				});
		}

		@Test
		void withOneNamedConnectionTheContributorIsItsIndicator() {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
						RealtimeHealthContributorAutoConfiguration.class))
				.withPropertyValues("realtime.auto-connect=false", "realtime.connections.prices.url=ws://localhost:2/")
				.run((context) -> assertThat(context).hasSingleBean(RealtimeHealthIndicator.class)
					.hasBean("realtimeHealthIndicator"));
		}

		@Test
		void aUserContributorOfTheCompositesNameWins() {
			HealthIndicator userIndicator = () -> Health.up().build();
			RealtimeHealthContributorAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://localhost:2/")
				.withBean("realtimeHealthContributor", HealthIndicator.class, () -> userIndicator)
				.run((context) -> assertThat(context).doesNotHaveBean("realtimeHealthIndicator"));
		}

	}

}
