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

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeEndpoint}, with a real client on a real scheduler and a fake
 * transport that answers as a server.
 *
 * @author Realtime team
 */
class RealtimeEndpointTests {

	private static final String API_KEY = "app.key:very-secret-api-key";

	private static final String CONNECTION_KEY = "secret-connection-key-4711";

	private final ThreadPoolTaskScheduler scheduler = newScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer()
		.answerAsynchronously()
		.answerOpen((uri) -> List.of(FakeTransportFactory.connected("connection-1", CONNECTION_KEY)));

	private final RealtimeClient client = RealtimeClient
		.builder(RealtimeClientOptions.builder(URI.create("ws://realtime.example/")).key(API_KEY).build())
		.scheduler(this.scheduler)
		.transportFactory(this.transports)
		.build();

	private final RealtimeEndpoint endpoint = new RealtimeEndpoint(Map.of("default", new RealtimeEndpoint.Connection(
			this.client, new RealtimeConnectionHistory(this.client.connection(), Clock.systemUTC(), 3))));

	@AfterEach
	void closeClient() {
		this.client.connection().close().join();
		this.scheduler.shutdown();
	}

	@Nested
	class Reading {

		@Test
		void aNewConnectionIsInitializedWithNothingToShow() {
			RealtimeEndpoint.ConnectionDescriptor connection = endpoint.connection("default");
			assertThat(connection.state()).isEqualTo(ConnectionState.INITIALIZED);
			assertThat(connection.connectionId()).isNull();
			assertThat(connection.errorReason()).isNull();
			assertThat(connection.retryIn()).isNull();
			assertThat(connection.lastPingRoundTrip()).isNull();
			assertThat(connection.channels()).isEmpty();
			assertThat(connection.stateChanges()).isEmpty();
			assertThat(endpoint.connections().connections()).containsOnlyKeys("default");
		}

		@Test
		void aConnectionOfAnotherNameIsNotFound() {
			assertThat(endpoint.connection("other")).isNull();
			assertThat(endpoint.operate("other", "ping")).isNull();
		}

		@Test
		void aConnectedConnectionShowsItsIdChannelsQueueAndLastPing() {
			connect();
			RealtimeChannel news = client.channel("news");
			news.attach().join();
			transports.last().receive(FakeTransportFactory.message("news", "serial-7", "hello"));
			client.channel("weather");
			transports.silence(Action.MESSAGE);
			news.publish("greeting", "unanswered");
			client.connection().ping().join();
			await().untilAsserted(() -> {
				RealtimeEndpoint.ConnectionDescriptor connection = endpoint.connection("default");
				assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(connection.connectionId()).isEqualTo("connection-1");
				assertThat(connection.pendingAcknowledgements()).isEqualTo(1);
				assertThat(connection.queueDepth()).isZero();
				assertThat(connection.subscriberBacklog()).isZero();
				assertThat(connection.lastPingRoundTrip()).isNotNull();
				assertThat(connection.channels()).containsExactly(
						new RealtimeEndpoint.ChannelDescriptor("news", ChannelState.ATTACHED, "serial-7", 0, 0),
						new RealtimeEndpoint.ChannelDescriptor("weather", ChannelState.INITIALIZED, null, 0, 0));
			});
		}

		@Test
		void aDisconnectedConnectionShowsItsReasonAndWhenItRetries() {
			transports.silenceOpen();
			client.connection().connect();
			await().until(() -> transports.opened().size() == 1);
			transports.last().drop("connection refused");
			await().until(() -> client.connection().state() == ConnectionState.DISCONNECTED);
			await().untilAsserted(() -> {
				RealtimeEndpoint.ConnectionDescriptor connection = endpoint.connection("default");
				assertThat(connection.state()).isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(connection.errorReason().code()).isEqualTo(80003);
				assertThat(connection.errorReason().message()).contains("connection refused");
				assertThat(connection.retryIn()).isNotNull();
				RealtimeEndpoint.StateChangeDescriptor latest = connection.stateChanges()
					.get(connection.stateChanges().size() - 1);
				assertThat(latest.current()).isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(latest.reason().code()).isEqualTo(80003);
				assertThat(Duration.parse(latest.retryIn())).isPositive();
				assertThat(connection.retryAt()).isEqualTo(latest.timestamp().plus(Duration.parse(latest.retryIn())));
			});
		}

		@Test
		void onlyTheLatestStateChangesAreKept() {
			connect();
			client.connection().close().join();
			connect();
			await().untilAsserted(() -> assertThat(endpoint.connection("default").stateChanges())
				.extracting(RealtimeEndpoint.StateChangeDescriptor::current)
				.containsExactly(ConnectionState.CLOSED, ConnectionState.CONNECTING, ConnectionState.CONNECTED));
		}

	}

	@Nested
	class Operations {

		@Test
		void connectStartsConnecting() {
			RealtimeEndpoint.OperationDescriptor result = endpoint.operate("default", "connect");
			assertThat(result.operation()).isEqualTo("connect");
			assertThat(result.failure()).isNull();
			await().until(() -> client.connection().state() == ConnectionState.CONNECTED);
		}

		@Test
		void pingReturnsTheRoundTrip() {
			connect();
			RealtimeEndpoint.OperationDescriptor result = endpoint.operate("default", "ping");
			assertThat(result.failure()).isNull();
			assertThat(Duration.parse(result.roundTrip()).isNegative()).isFalse();
			assertThat(endpoint.connection("default").lastPingRoundTrip()).isEqualTo(result.roundTrip());
		}

		@Test
		void closeWaitsUntilTheConnectionIsClosed() {
			connect();
			RealtimeEndpoint.OperationDescriptor result = endpoint.operate("default", "close");
			assertThat(result.state()).isEqualTo(ConnectionState.CLOSED);
			assertThat(result.failure()).isNull();
		}

		@Test
		void aPingThatCannotBeMadeReportsWhy() {
			endpoint.operate("default", "close");
			RealtimeEndpoint.OperationDescriptor result = endpoint.operate("default", "ping");
			assertThat(result.roundTrip()).isNull();
			assertThat(result.failure().code()).isEqualTo(80017);
			assertThat(result.failure().message()).contains("Cannot ping while CLOSED");
		}

		@Test
		void anUnknownOperationIsABadRequest() {
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("default", "explode"))
				.withMessageContaining("connect, close or ping");
			assertThat(client.connection().state()).isEqualTo(ConnectionState.INITIALIZED);
		}

	}

	@Nested
	class Secrets {

		private final JsonMapper json = JsonMapper.builder().build();

		@Test
		void neitherTheKeyNorTheConnectionKeyNorTheUrlQueryIsShown() {
			connect();
			client.channel("news").attach().join();
			FakeTransport transport = transports.last();
			assertThat(transport.uri().getQuery()).contains("very-secret-api-key");
			String ping = json.writeValueAsString(endpoint.operate("default", "ping"));
			// A failure whose description carries the URL the transport was opened with
			transports.silenceOpen();
			transport.drop("could not reach " + transport.uri());
			await().until(() -> client.connection().state() != ConnectionState.CONNECTED);
			await().until(() -> endpoint.connection("default").errorReason() != null);
			String shown = ping + json.writeValueAsString(endpoint.connections())
					+ json.writeValueAsString(endpoint.connection("default"));
			assertThat(shown).contains("connection-1", "news", "could not reach ws://realtime.example/?…")
				.doesNotContain("very-secret-api-key", API_KEY, CONNECTION_KEY, transport.uri().getRawQuery())
				.doesNotContain("key=", "v=6", "resume=")
				.doesNotContainIgnoringCase("connectionKey")
				.doesNotContainIgnoringCase("\"key\"")
				.doesNotContainIgnoringCase("token");
		}

	}

	private void connect() {
		this.client.connection().connect();
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
	}

	private static ThreadPoolTaskScheduler newScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix("realtime-endpoint-test-");
		scheduler.initialize();
		return scheduler;
	}

}
