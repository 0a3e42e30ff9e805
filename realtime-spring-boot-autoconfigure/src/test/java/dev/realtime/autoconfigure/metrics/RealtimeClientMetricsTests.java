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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.VirtualTimeScheduler;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ConnectionState.CLOSED;
import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static dev.realtime.client.ConnectionState.INITIALIZED;
import static dev.realtime.client.ConnectionState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RealtimeClientMetrics}, with a real client on virtual time and a fake
 * transport.
 *
 * @author Realtime team
 */
class RealtimeClientMetricsTests {

	private static final String STATE = "realtime.connection.state";

	private static final String TRANSITIONS = "realtime.connection.transitions";

	private static final String ERRORS = "realtime.connection.errors";

	private static final String MALFORMED_FRAMES = "realtime.frames.malformed";

	private static final String UNHANDLED_FRAMES = "realtime.frames.unhandled";

	private static final String SLOW_SUBSCRIBERS = "realtime.subscribers.slow";

	static final List<String> ALL_METERS = List.of(STATE, TRANSITIONS, ERRORS, "realtime.connection.attempts",
			"realtime.connection.established", "realtime.ping.round.trip", "realtime.messages.received",
			"realtime.messages.sent", "realtime.bytes.received", "realtime.bytes.sent", "realtime.publish.acks",
			"realtime.publish.nacks", "realtime.publish.latency", "realtime.publish.queued",
			"realtime.publish.unacknowledged", "realtime.publish.rejected", "realtime.publish.expired",
			"realtime.subscribers.backlog", SLOW_SUBSCRIBERS, "realtime.inbound.pauses", MALFORMED_FRAMES,
			UNHANDLED_FRAMES,
			// The 50th, 95th and 99th percentiles of the publish latency
			"realtime.publish.latency.percentile");

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	// Driven by hand, except that CLOSE is answered at once, so that close() completes
	private final FakeTransportFactory transports = new FakeTransportFactory().answer(Action.CLOSE);

	private final RealtimeClient client = RealtimeClient
		.builder(RealtimeClientOptions.builder(URI.create("ws://realtime.example/")).key("app.key:secret").build())
		.scheduler(this.scheduler)
		.ticker(this.scheduler.ticker())
		.callbackExecutor(this.scheduler.executor())
		.completionExecutor(this.scheduler.executor())
		.transportFactory(this.transports)
		.random(new SplittableRandom(42))
		.build();

	private final RealtimeConnection connection = this.client.connection();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<ConnectionStateChange> changes = new ArrayList<>();

	@BeforeEach
	void bindMetrics() {
		new RealtimeClientMetrics(this.client).bindTo(this.registry);
		this.connection.addListener(this.changes::add);
	}

	@Nested
	class ConnectionStateGauges {

		@Test
		void thereIsOneGaugePerStateTaggedWithItsLowerCaseName() {
			assertThat(registry.find(STATE).gauges()).extracting((gauge) -> gauge.getId().getTag("state"))
				.containsExactlyInAnyOrder("initialized", "connecting", "connected", "disconnected", "suspended",
						"closing", "closed", "failed");
		}

		@Test
		void onlyTheCurrentStateReadsOne() {
			assertThat(statesReadingOne()).containsExactly("initialized");
			connect();
			assertThat(statesReadingOne()).containsExactly("connected");
			transports.last().drop("reset by peer");
			settle();
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			assertThat(statesReadingOne()).containsExactly("disconnected");
			connection.close();
			settle();
			assertThat(statesReadingOne()).containsExactly("closed");
			assertThat(registry.find(STATE).gauges()).extracting(Gauge::value).containsOnly(0.0, 1.0);
		}

	}

	@Nested
	class Transitions {

		@Test
		void everyChangeOfStateIsCountedOnItsEdge() {
			connect();
			transports.last().drop("reset by peer");
			settle();
			advanceUntil(CONNECTING);
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(transitions(INITIALIZED, CONNECTING)).isEqualTo(1);
			assertThat(transitions(CONNECTING, CONNECTED)).isEqualTo(2);
			assertThat(transitions(CONNECTED, DISCONNECTED)).isEqualTo(1);
			assertThat(transitions(DISCONNECTED, CONNECTING)).isEqualTo(1);
			assertThat(totalCount(TRANSITIONS)).isEqualTo(5).isEqualTo(changes.size());
		}

		@Test
		void updatesOfAConnectedConnectionAreNotTransitions() {
			connect();
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(changes).last().satisfies((change) -> assertThat(change.isUpdate()).isTrue());
			assertThat(registry.find(TRANSITIONS).tags("from", "connected", "to", "connected").counter()).isNull();
			assertThat(totalCount(TRANSITIONS)).isEqualTo(2);
		}

	}

	@Nested
	class Errors {

		@Test
		void changesWithoutAReasonAreNotErrors() {
			connect();
			connection.close();
			settle();
			assertThat(connection.state()).isEqualTo(CLOSED);
			assertThat(totalCount(TRANSITIONS)).isEqualTo(4);
			assertThat(registry.find(ERRORS).counters()).isEmpty();
		}

		@Test
		void aDroppedConnectionAndAnIdleTimeoutAreToldApart() {
			connect();
			transports.last().drop("reset by peer");
			settle();
			advanceUntil(CONNECTING);
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			// The server goes silent: no HEARTBEAT for maxIdleInterval + request timeout
			advanceUntil(DISCONNECTED);
			assertThat(changes).last().satisfies((change) -> assertThat(change.reason().statusCode()).isEqualTo(408));
			assertThat(errors("80003", "503", DISCONNECTED)).isEqualTo(1);
			assertThat(errors("80003", "408", DISCONNECTED)).isEqualTo(1);
			assertThat(totalCount(ERRORS)).isEqualTo(2);
		}

		@Test
		void aSuspensionIsCountedWithItsOwnCode() {
			connection.connect();
			settle();
			int refused = 0;
			for (int second = 0; connection.state() != SUSPENDED; second++) {
				assertThat(second).as("seconds until suspended").isLessThan(300);
				if (transports.opened().size() > refused) {
					transports.opened().get(refused++).drop("refused");
					settle();
				}
				else {
					advance(Duration.ofSeconds(1));
				}
			}
			assertThat(errors("80002", "503", SUSPENDED)).isEqualTo(1);
			assertThat(errors("80003", "503", DISCONNECTED)).isPositive()
				.isEqualTo(transitions(CONNECTING, DISCONNECTED));
		}

		@Test
		void aFailureIsCountedWithTheServersCode() {
			connect();
			transports.last().receive(FakeTransportFactory.error(40101, 401, "Invalid key"));
			settle();
			assertThat(connection.state()).isEqualTo(FAILED);
			assertThat(errors("40101", "401", FAILED)).isEqualTo(1);
		}

		@Test
		void aConnectionThatCouldNotBeResumedIsCounted() {
			connect();
			transports.last().drop("reset by peer");
			settle();
			advanceUntil(CONNECTING);
			transports.last().receive(FakeTransportFactory.connected("c2", "k1"));
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(errors("80008", "400", CONNECTED)).isEqualTo(1);
		}

		@Test
		void anUpdateThatCarriesAnErrorIsCounted() {
			connect();
			transports.last()
				.receive(FakeTransportFactory.connected("c1", "k1", new ErrorInfo(40142, 401, "Token expired")));
			settle();
			assertThat(errors("40142", "401", CONNECTED)).isEqualTo(1);
			assertThat(totalCount(TRANSITIONS)).isEqualTo(2);
		}

		@Test
		void errorCodesPastTheLimitAreCountedAsOther() {
			int codes = RealtimeClientMetrics.MAX_ERROR_CODES + 10;
			for (int i = 0; i < codes; i++) {
				failWith(50000 + i);
			}
			failWith(50000);
			assertThat(registry.find(ERRORS).counters()).hasSize(RealtimeClientMetrics.MAX_ERROR_CODES + 1);
			assertThat(errors("50000", "500", FAILED)).isEqualTo(2);
			assertThat(errors("other", "other", FAILED)).isEqualTo(10);
			assertThat(totalCount(ERRORS)).isEqualTo(codes + 1);
		}

		private void failWith(int code) {
			connection.connect();
			settle();
			transports.last().receive(FakeTransportFactory.error(code, 500, "Internal error"));
			settle();
			assertThat(connection.state()).isEqualTo(FAILED);
		}

	}

	@Nested
	class MalformedFrames {

		@Test
		void framesTheClientCouldNotReadAreCounted() {
			FunctionCounter malformed = registry.get(MALFORMED_FRAMES).functionCounter();
			assertThat(malformed.count()).isZero();
			connect();
			transports.last().receive("not json").receive("[1,2]");
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(malformed.count()).isEqualTo(2).isEqualTo(client.malformedFrames());
		}

	}

	@Nested
	class UnhandledFrames {

		@Test
		void protocolMessagesThatReachedNoHandlerAreCounted() {
			FunctionCounter unhandled = registry.get(UNHANDLED_FRAMES).functionCounter();
			assertThat(unhandled.count()).isZero();
			connect();
			transports.last().receive("{\"action\":99}").receive("{\"action\":15,\"channel\":\"unknown\"}");
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(unhandled.count()).isEqualTo(2).isEqualTo(client.unhandledFrames());
		}

	}

	@Nested
	class Meters {

		@Test
		void everyMeterHasADescriptionAndABaseUnit() {
			driveEveryMeter();
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.containsOnly(ALL_METERS.toArray(String[]::new))
				.contains(ALL_METERS.toArray(String[]::new));
			// Timers take the registry's base unit of time; percentiles are the timer's
			assertThat(registry.getMeters())
				.filteredOn((meter) -> !(meter instanceof Timer) && !meter.getId().getName().endsWith(".percentile"))
				.allSatisfy((meter) -> {
					assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
					assertThat(meter.getId().getBaseUnit()).as(meter.getId().toString()).isNotBlank();
				});
			assertThat(registry.find("realtime.publish.latency").timer().getId().getDescription()).isNotBlank();
			assertThat(registry.find("realtime.ping.round.trip").timer().getId().getDescription()).isNotBlank();
		}

		@Test
		void everyMeterButErrorsIsRegisteredBeforeAnythingHappens() {
			List<String> names = registry.getMeters().stream().map((meter) -> meter.getId().getName()).toList();
			assertThat(names).containsAll(ALL_METERS.stream().filter((name) -> !name.equals(ERRORS)).toList())
				.doesNotContain(ERRORS);
			assertThat(registry.find(TRANSITIONS).counters()).hasSize(21)
				.allSatisfy((counter) -> assertThat(counter.count()).isZero());
			assertThat(registry.find(TRANSITIONS).tags("from", "connected", "to", "disconnected").counter())
				.isNotNull();
		}

		@Test
		void theTimersPublishAPercentileHistogram() {
			Map<String, DistributionStatisticConfig> configs = new HashMap<>();
			MeterRegistry histograms = new SimpleMeterRegistry();
			histograms.config().meterFilter(new MeterFilter() {

				@Override
				public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
					configs.put(id.getName(), config);
					return config;
				}

			});
			new RealtimeClientMetrics(client).bindTo(histograms);
			assertThat(configs.get("realtime.publish.latency").isPercentileHistogram()).isTrue();
			assertThat(configs.get("realtime.publish.latency").getPercentiles()).containsExactly(0.5, 0.95, 0.99);
			assertThat(configs.get("realtime.ping.round.trip").isPercentileHistogram()).isTrue();
		}

		@Test
		void everyMeterIsTaggedWithTheDefaultConnection() {
			driveEveryMeter();
			assertThat(registry.getMeters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTag("connection")).isEqualTo("default"));
		}

		@Test
		void aConnectionTagGivenToTheBinderReplacesTheDefault() {
			MeterRegistry named = new SimpleMeterRegistry();
			new RealtimeClientMetrics(client, "feed", Tags.empty()).bindTo(named);
			assertThat(named.getMeters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTag("connection")).isEqualTo("feed"));
		}

		@Test
		void tagsGivenToTheBinderAreOnEveryMeter() {
			MeterRegistry tagged = new SimpleMeterRegistry();
			new RealtimeClientMetrics(client, Tags.of("client", "feed")).bindTo(tagged);
			driveEveryMeter();
			assertThat(tagged.getMeters()).hasSameSizeAs(registry.getMeters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTags()).contains(Tag.of("client", "feed")));
			assertThat(tagged.get(TRANSITIONS).tags("from", "connecting", "to", "connected").counter().count())
				.isEqualTo(1);
		}

		private void driveEveryMeter() {
			connect();
			transports.last().receive("not json").receive(FakeTransportFactory.error(40101, 401, "Invalid key"));
			settle();
			assertThat(connection.state()).isEqualTo(FAILED);
		}

	}

	private void connect() {
		this.connection.connect();
		settle();
		this.transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
		settle();
		assertThat(this.connection.state()).isEqualTo(CONNECTED);
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private void advance(Duration duration) {
		this.scheduler.advance(duration);
	}

	private void advanceUntil(ConnectionState state) {
		for (int second = 0; this.connection.state() != state; second++) {
			assertThat(second).as("seconds until " + state).isLessThan(300);
			advance(Duration.ofSeconds(1));
		}
	}

	private List<String> statesReadingOne() {
		return this.registry.find(STATE)
			.gauges()
			.stream()
			.filter((gauge) -> gauge.value() == 1)
			.map((gauge) -> gauge.getId().getTag("state"))
			.toList();
	}

	private double transitions(ConnectionState from, ConnectionState to) {
		return this.registry.get(TRANSITIONS).tags("from", tagValue(from), "to", tagValue(to)).counter().count();
	}

	private double errors(String code, String status, ConnectionState state) {
		return this.registry.get(ERRORS)
			.tags("code", code, "status", status, "state", tagValue(state))
			.counter()
			.count();
	}

	private double totalCount(String name) {
		return this.registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	private static String tagValue(ConnectionState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
