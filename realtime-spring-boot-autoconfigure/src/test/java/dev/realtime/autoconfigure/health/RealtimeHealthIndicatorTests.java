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

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ConnectionStateListener;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RealtimeHealthIndicator}.
 *
 * @author Realtime team
 */
class RealtimeHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final RealtimeConnection connection = mock(RealtimeConnection.class);

	private final RealtimeClient client = mock(RealtimeClient.class);

	@BeforeEach
	void stubClient() {
		given(this.client.connection()).willReturn(this.connection);
		given(this.client.options()).willReturn(RealtimeClientOptions
			.builder(URI.create("wss://user:password-secret@realtime.example:8443/v1?key=app.key:query-secret"))
			.key("app.key:key-secret")
			.token("token-secret")
			.build());
	}

	private RealtimeHealthIndicator createIndicator() {
		return new RealtimeHealthIndicator(this.client, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private ConnectionStateListener registeredListener() {
		ArgumentCaptor<ConnectionStateListener> listener = ArgumentCaptor.forClass(ConnectionStateListener.class);
		then(this.connection).should().addListener(listener.capture());
		return listener.getValue();
	}

	@Nested
	class StatusMapping {

		@ParameterizedTest
		@CsvSource(textBlock = """
				INITIALIZED,  RECONNECTING
				CONNECTING,   RECONNECTING
				CONNECTED,    UP
				DISCONNECTED, RECONNECTING
				SUSPENDED,    DOWN
				CLOSING,      OUT_OF_SERVICE
				CLOSED,       OUT_OF_SERVICE
				FAILED,       DOWN
				""")
		void eachConnectionStateMapsToItsStatus(ConnectionState state, String status) {
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(state);
			Health health = createIndicator().health();
			assertThat(health.getStatus().getCode()).isEqualTo(status);
		}

		@Test
		void aMappingThatMissesAStateIsRejected() {
			Map<ConnectionState, Status> mappings = RealtimeHealthIndicator.defaultStatusMappings();
			mappings.remove(ConnectionState.SUSPENDED);
			assertThatIllegalStateException()
				.isThrownBy(() -> new RealtimeHealthIndicator(RealtimeHealthIndicatorTests.this.client,
						Clock.systemUTC(), mappings))
				.withMessageContaining("SUSPENDED");
		}

		@Test
		void customMappingsAreUsed() {
			Map<ConnectionState, Status> mappings = RealtimeHealthIndicator.defaultStatusMappings();
			mappings.put(ConnectionState.DISCONNECTED, Status.UP);
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.DISCONNECTED);
			Health health = new RealtimeHealthIndicator(RealtimeHealthIndicatorTests.this.client, Clock.systemUTC(),
					mappings)
				.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
		}

	}

	@Nested
	class Aggregation {

		@Test
		void byDefaultTheAggregateIgnoresReconnecting() {
			StatusAggregator aggregator = new SimpleStatusAggregator();
			assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, RealtimeHealthIndicator.RECONNECTING)))
				.isEqualTo(Status.UP);
		}

		@Test
		void withTheDocumentedOrderTheAggregateShowsReconnectingButNotOverDown() {
			StatusAggregator aggregator = new SimpleStatusAggregator("down", "out-of-service", "reconnecting", "up",
					"unknown");
			assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, RealtimeHealthIndicator.RECONNECTING)))
				.isEqualTo(RealtimeHealthIndicator.RECONNECTING);
			assertThat(aggregator.getAggregateStatus(Set.of(Status.DOWN, RealtimeHealthIndicator.RECONNECTING)))
				.isEqualTo(Status.DOWN);
		}

	}

	@Nested
	class Details {

		@Test
		void detailsDescribeTheConnection() {
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.CONNECTED);
			given(RealtimeHealthIndicatorTests.this.connection.id()).willReturn("c1");
			given(RealtimeHealthIndicatorTests.this.connection.errorReason())
				.willReturn(new ErrorInfo(80008, 400, "Connection c0 could not be resumed"));
			given(RealtimeHealthIndicatorTests.this.client.malformedFrames()).willReturn(3L);
			given(RealtimeHealthIndicatorTests.this.client.unhandledFrames()).willReturn(2L);
			Health health = createIndicator().health();
			assertThat(health.getDetails()).containsOnly(entry("state", ConnectionState.CONNECTED),
					entry("url", "wss://realtime.example:8443/v1"), entry("connectionId", "c1"),
					entry("errorReason",
							Map.of("code", 80008, "statusCode", 400, "message", "Connection c0 could not be resumed")),
					entry("malformedFrames", 3L), entry("unhandledFrames", 2L));
		}

		@Test
		void afterAChangeDetailsSayWhenItHappenedAndWhenTheNextAttemptIsDue() {
			RealtimeHealthIndicator indicator = createIndicator();
			ErrorInfo reason = ErrorInfo.disconnected("Connection lost");
			registeredListener().onStateChange(new ConnectionStateChange(ConnectionState.CONNECTED,
					ConnectionState.DISCONNECTED, reason, Duration.ofSeconds(15)));
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.DISCONNECTED);
			given(RealtimeHealthIndicatorTests.this.connection.errorReason()).willReturn(reason);
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(RealtimeHealthIndicator.RECONNECTING);
			assertThat(health.getDetails()).contains(entry("retryIn", Duration.ofSeconds(15)), entry("since", NOW));
		}

		@Test
		void aChangeListenersHaveNotHeardOfYetIsNotMixedWithTheCurrentState() {
			RealtimeHealthIndicator indicator = createIndicator();
			registeredListener().onStateChange(new ConnectionStateChange(ConnectionState.CONNECTED,
					ConnectionState.DISCONNECTED, null, Duration.ofSeconds(15)));
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.CONNECTING);
			Health health = indicator.health();
			assertThat(health.getDetails()).containsEntry("state", ConnectionState.CONNECTING)
				.doesNotContainKeys("retryIn", "since");
		}

		@Test
		void secretsAreNeverInTheDetails() {
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.CONNECTED);
			given(RealtimeHealthIndicatorTests.this.connection.id()).willReturn("c1");
			given(RealtimeHealthIndicatorTests.this.connection.key()).willReturn("connection-key-secret");
			Health health = createIndicator().health();
			assertThat(health.getDetails()).isNotEmpty();
			assertThat(health.getDetails().toString()).doesNotContain("secret");
		}

		@Test
		void healthIsReadFromCachedStateWithoutTouchingTheConnection() {
			given(RealtimeHealthIndicatorTests.this.connection.state()).willReturn(ConnectionState.CONNECTED);
			createIndicator().health();
			then(RealtimeHealthIndicatorTests.this.connection).should().addListener(any());
			then(RealtimeHealthIndicatorTests.this.connection).should().state();
			then(RealtimeHealthIndicatorTests.this.connection).should().id();
			then(RealtimeHealthIndicatorTests.this.connection).should().errorReason();
			then(RealtimeHealthIndicatorTests.this.connection).shouldHaveNoMoreInteractions();
		}

	}

}
