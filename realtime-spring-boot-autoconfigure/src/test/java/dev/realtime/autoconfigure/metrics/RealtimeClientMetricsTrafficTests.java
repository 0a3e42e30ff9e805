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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.SlowSubscriberPolicy;
import dev.realtime.client.VirtualTimeScheduler;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that read every meter of {@link RealtimeClientMetrics} from a
 * {@link SimpleMeterRegistry} after traffic through a fake transport, on virtual time.
 *
 * @author Realtime team
 */
class RealtimeClientMetricsTrafficTests {

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	/** Listeners and subscribers wait here until the test lets them run. */
	private final HeldExecutor callbacks = new HeldExecutor();

	private final RealtimeClient client = RealtimeClient
		.builder(RealtimeClientOptions.builder(URI.create("ws://realtime.example/"))
			.key("app.key:secret")
			.queueCapacity(2)
			.messageTtl(Duration.ofSeconds(5))
			.subscriberBufferSize(DataSize.ofBytes(100))
			.subscriberMaxPause(Duration.ofSeconds(1))
			.slowSubscriberPolicy(SlowSubscriberPolicy.DROP)
			.build())
		.scheduler(this.scheduler)
		.ticker(this.scheduler.ticker())
		.callbackExecutor(this.callbacks)
		.completionExecutor(this.scheduler.executor())
		.transportFactory(this.transports)
		.random(new SplittableRandom(42))
		.build();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void everyMeterReadsWhatTheConnectionDid() {
		new RealtimeClientMetrics(this.client).bindTo(this.registry);
		RealtimeChannel news = this.client.channel("news");

		// Queued while not connected: one rejected, two expire
		news.publish("greeting", "one");
		news.publish("greeting", "two");
		news.publish("greeting", "three");
		settle();
		assertThat(gauge("realtime.publish.queued")).isEqualTo(2);
		assertThat(count("realtime.publish.rejected")).isEqualTo(1);
		this.scheduler.advance(Duration.ofSeconds(6));
		assertThat(count("realtime.publish.expired")).isEqualTo(2);
		assertThat(gauge("realtime.publish.queued")).isZero();

		// Connected: a new connection
		this.client.connection().connect();
		settle();
		receive(FakeTransportFactory.connected("c1", "k1"));
		news.attach();
		settle();
		receive(FakeTransportFactory.attached("news"));
		assertThat(count("realtime.connection.attempts", "type", "initial")).isEqualTo(1);
		assertThat(count("realtime.connection.established", "type", "new")).isEqualTo(1);

		// Published: one acknowledged after 100 ms, one refused
		news.publish("greeting", "four");
		news.publish("greeting", "five");
		settle();
		assertThat(gauge("realtime.publish.unacknowledged")).isEqualTo(2);
		assertThat(count("realtime.messages.sent")).isEqualTo(2);
		long first = this.transports.last().sentMessages(Action.MESSAGE).get(0).getMsgSerial();
		this.scheduler.advance(Duration.ofMillis(100));
		receive(FakeTransportFactory.ack(first, 1));
		receive("{\"action\":2,\"msgSerial\":" + (first + 1)
				+ ",\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,\"message\":\"Not permitted\"}}");
		assertThat(gauge("realtime.publish.unacknowledged")).isZero();
		assertThat(count("realtime.publish.acks")).isEqualTo(1);
		assertThat(count("realtime.publish.nacks")).isEqualTo(1);
		this.callbacks.runAll(); // timings reach the timers on the listeners' lane
		Timer latency = this.registry.get("realtime.publish.latency").timer();
		assertThat(latency.count()).isEqualTo(1);
		assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
		assertThat(latency.takeSnapshot().percentileValues()).as("percentiles").hasSize(3);

		// A ping answered after 30 ms
		this.client.connection().ping();
		settle();
		this.scheduler.advance(Duration.ofMillis(30));
		receive(FakeTransportFactory.heartbeat(lastSent(Action.HEARTBEAT).getId()));
		this.callbacks.runAll();
		Timer ping = this.registry.get("realtime.ping.round.trip").timer();
		assertThat(ping.count()).isEqualTo(1);
		assertThat(ping.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);

		// Messages the subscribers are too slow for
		news.subscribe((message) -> {
		});
		settle();
		for (int i = 0; i < 3; i++) {
			receive(FakeTransportFactory.message("news", "s" + i, "x".repeat(200)));
		}
		assertThat(count("realtime.messages.received")).isEqualTo(3);
		assertThat(gauge("realtime.subscribers.backlog")).isGreaterThan(100);
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(count("realtime.subscribers.slow")).isEqualTo(1);
		this.callbacks.runAll();
		assertThat(gauge("realtime.subscribers.backlog")).isZero();

		// What the client cannot use
		receive("{\"action\":99}");
		receive("not json");
		assertThat(count("realtime.frames.unhandled")).isEqualTo(1);
		assertThat(count("realtime.frames.malformed")).isEqualTo(1);

		// Dropped twice: resumed once, then not
		dropAndReconnect("c1");
		dropAndReconnect("c2");
		assertThat(count("realtime.connection.attempts", "type", "reconnect")).isEqualTo(2);
		assertThat(count("realtime.connection.established", "type", "resumed")).isEqualTo(1);
		assertThat(count("realtime.connection.established", "type", "not_resumed")).isEqualTo(1);

		assertThat(count("realtime.bytes.sent")).isEqualTo(utf8Bytes(
				this.transports.opened().stream().flatMap((transport) -> transport.sent().stream()).toList()));
		assertThat(count("realtime.bytes.received")).isEqualTo(utf8Bytes(
				this.transports.opened().stream().flatMap((transport) -> transport.received().stream()).toList()));

		// Listeners hear of the changes of state
		this.callbacks.runAll();
		assertThat(this.registry.get("realtime.connection.transitions")
			.tags("from", "connected", "to", "disconnected")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("realtime.connection.errors")
			.tags("code", "80008", "state", "connected")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("realtime.connection.state").tags("state", "connected").gauge().value())
			.isEqualTo(1);

		// Every meter was read above
		assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
			.containsOnly(RealtimeClientMetricsTests.ALL_METERS.toArray(String[]::new))
			.contains(RealtimeClientMetricsTests.ALL_METERS.toArray(String[]::new));
		assertThat(this.registry.getMeters()).filteredOn((meter) -> meter instanceof FunctionCounter)
			.extracting(Meter::getId)
			.extracting((id) -> id.getTag("connection"))
			.containsOnly("default");
	}

	private void dropAndReconnect(String connectionId) {
		this.transports.last().drop("reset by peer");
		settle();
		for (int second = 0; this.client.connection().state() != ConnectionState.CONNECTING; second++) {
			assertThat(second).as("seconds until CONNECTING").isLessThan(60);
			this.scheduler.advance(Duration.ofSeconds(1));
		}
		receive(FakeTransportFactory.connected(connectionId, "k1"));
		assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
	}

	private ProtocolMessage lastSent(Action action) {
		return this.transports.last().sentMessages(action).get(this.transports.last().sentMessages(action).size() - 1);
	}

	private void receive(String frame) {
		this.transports.last().receive(frame);
		settle();
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private double count(String name, String... tags) {
		return this.registry.get(name).tags(tags).functionCounter().count();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private static long utf8Bytes(List<String> frames) {
		return frames.stream().mapToLong((frame) -> frame.getBytes(StandardCharsets.UTF_8).length).sum();
	}

	/** Runs tasks only when the test says so. */
	private static final class HeldExecutor implements Executor {

		private final Queue<Runnable> tasks = new ArrayDeque<>();

		@Override
		public synchronized void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = poll()) != null) {
				task.run();
			}
		}

		private synchronized Runnable poll() {
			return this.tasks.poll();
		}

	}

}
