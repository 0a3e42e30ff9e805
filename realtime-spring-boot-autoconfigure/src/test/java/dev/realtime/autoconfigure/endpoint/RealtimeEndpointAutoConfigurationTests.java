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
import java.time.Instant;
import java.time.ZoneOffset;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeClientCustomizer;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeEndpointAutoConfiguration}.
 *
 * @author Realtime team
 */
class RealtimeEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RealtimeEndpointAutoConfiguration.class, RealtimeAutoConfiguration.class))
		.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=false");

	@Test
	void theAutoConfigurationIsRegistered() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
			.contains(RealtimeEndpointAutoConfiguration.class.getName());
	}

	@Test
	void theEndpointIsNotAvailableByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(RealtimeClient.class)
			.doesNotHaveBean(RealtimeEndpoint.class));
	}

	@Test
	void theEndpointIsAvailableWhenExposedOverTheWeb() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=realtime")
			.run((context) -> assertThat(context).hasSingleBean(RealtimeEndpoint.class).hasBean("realtimeEndpoint"));
	}

	@Test
	void theEndpointIsNotAvailableWhenAccessToItIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=realtime",
					"management.endpoint.realtime.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeEndpoint.class));
	}

	@Test
	void withoutAClientThereIsNoEndpoint() {
		this.contextRunner.withPropertyValues("realtime.enabled=false", "management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeClient.class)
				.doesNotHaveBean(RealtimeEndpoint.class));
	}

	@Test
	void withoutTheActuatorThereIsNoEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=realtime")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeEndpoint.class));
	}

	@Test
	void anEndpointOfTheApplicationReplacesTheAutoConfiguredOne() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=realtime")
			.withBean("myEndpoint", RealtimeEndpoint.class, () -> new RealtimeEndpoint(java.util.Map.of()))
			.run((context) -> assertThat(context).hasSingleBean(RealtimeEndpoint.class)
				.hasBean("myEndpoint")
				.doesNotHaveBean("realtimeEndpoint"));
	}

	@Test
	void theApplicationsClockStampsTheStateChangesOfTheDefaultConnection() {
		Instant now = Instant.parse("2026-01-02T03:04:05Z");
		FakeTransportFactory transports = new FakeTransportFactory().answerAsServer().answerAsynchronously();
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=realtime")
			.withBean(Clock.class, () -> Clock.fixed(now, ZoneOffset.UTC))
			.withBean(RealtimeClientCustomizer.class, () -> (builder) -> builder.transportFactory(transports))
			.run((context) -> {
				RealtimeEndpoint endpoint = context.getBean(RealtimeEndpoint.class);
				assertThat(endpoint.connections().connections()).containsOnlyKeys("default");
				context.getBean(RealtimeClient.class).connection().connect();
				await().untilAsserted(() -> assertThat(endpoint.connection("default").stateChanges())
					.extracting(RealtimeEndpoint.StateChangeDescriptor::current)
					.containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED));
				assertThat(endpoint.connection("default").stateChanges())
					.allSatisfy((change) -> assertThat(change.timestamp()).isEqualTo(now));
			});
	}

	@Test
	void theEndpointShowsEveryConnectionByName() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=realtime",
					"realtime.connections.prices.url=ws://localhost:2/",
					"realtime.connections.orders.url=ws://localhost:3/")
			.run((context) -> {
				RealtimeEndpoint endpoint = context.getBean(RealtimeEndpoint.class);
				assertThat(endpoint.connections().connections()).containsOnlyKeys("default", "orders", "prices");
				assertThat(endpoint.connection("prices")).isNotNull();
				context.getBean("pricesRealtimeClient", RealtimeClient.class).connection().close().join();
				assertThat(endpoint.connection("prices").state()).isEqualTo(ConnectionState.CLOSED);
				assertThat(endpoint.connection("default").state()).isEqualTo(ConnectionState.INITIALIZED);
			});
	}

}
