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

package dev.realtime.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for back-pressure from subscribers on virtual time: the subscribers' lanes run
 * only when the test lets them, so that they fall behind on purpose.
 */
class SubscriberBackPressureTests {

	/**
	 * Each test message is a frame of about 130 characters: the subscribers are behind
	 * once four wait for them.
	 */
	private static final DataSize BUFFER = DataSize.ofBytes(500);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

	/** The lanes of subscribers: run only by {@link #runSubscribers()}. */
	private final HeldExecutor subscriberLanes = new HeldExecutor();

	private final List<SlowSubscribers> slow = new ArrayList<>();

	private VirtualClient server;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(
				(options) -> customizer.apply(options.subscriberBufferSize(BUFFER).subscriberMaxPause(MAX_PAUSE)),
				(builder, virtualTime) -> builder.subscriberExecutor(this.subscriberLanes));
		this.server.client().addSlowSubscriberListener(this.slow::add);
	}

	@Nested
	class Pausing {

		@Test
		void subscribersBehindTheirBufferPauseReadingUntilTheyCatchUp() {
			List<Object> received = new ArrayList<>();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> received.add(message.data()));
			flood("news", 1, 6);
			CompletableFuture<Duration> ping = server.connection().ping();
			server.settle();
			answerPing();
			assertThat(ping).as("frames after the flood wait while the subscribers are behind").isNotDone();
			runSubscribers();
			assertThat(received).hasSize(6);
			assertThat(ping).as("reading resumed once they caught up").isCompleted();
			assertThat(slow).isEmpty();
			assertThat(news.state()).isEqualTo(ChannelState.ATTACHED);
		}

		@Test
		void whileReadingIsPausedTheIdleTimerWaits() {
			createClient((options) -> options.subscriberMaxPause(Duration.ofMinutes(5)));
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			flood("news", 1, 6);
			server.advance(Duration.ofMinutes(2));
			assertThat(server.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			runSubscribers();
			assertThat(server.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(server.transports().opened()).hasSize(1);
		}

		@Test
		void theEndOfTheTransportIsHeardWhilePaused() {
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			flood("news", 1, 6);
			server.transport().drop("reset by peer");
			server.settle();
			assertThat(server.connection().state()).isEqualTo(ConnectionState.DISCONNECTED);
		}

	}

	@Nested
	class SlowSubscribersThatReattach {

		@Test
		void subscribersBehindForLongerThanTheMaxPauseAreReportedAndReadingResumes() {
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			flood("news", 1, 6);
			CompletableFuture<Duration> ping = server.connection().ping();
			server.settle();
			answerPing();
			server.advance(MAX_PAUSE);
			assertThat(slow).singleElement().satisfies((event) -> {
				assertThat(event.channel()).isEqualTo("news");
				assertThat(event.policy()).isEqualTo(SlowSubscriberPolicy.REATTACH);
				assertThat(event.pendingBytes()).isGreaterThan(BUFFER.toBytes());
			});
			assertThat(ping).as("reading resumed").isCompleted();
			assertThat(server.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

		@Test
		void theChannelAttachesAgainFromTheLastMessageItsSubscribersWereGiven() {
			List<Object> received = new ArrayList<>();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> received.add(message.data()));
			flood("news", 1, 4);
			server.advance(MAX_PAUSE);
			flood("news", 5, 3);
			runSubscribers();
			assertThat(received).as("messages after the subscribers became slow were not taken")
				.containsExactly("m1", "m2", "m3", "m4");
			assertThat(news.state()).isEqualTo(ChannelState.ATTACHING);
			ProtocolMessage attach = server.lastSent();
			assertThat(attach.getAction()).isEqualTo(Action.ATTACH);
			assertThat(attach.getChannelSerial()).isEqualTo("s4");
			server.receive("{\"action\":11,\"channel\":\"news\",\"flags\":4}");
			flood("news", 5, 3);
			runSubscribers();
			assertThat(received).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
		}

		@Test
		void presenceIsNotTakenEitherUntilTheChannelAttachesAgain() {
			List<PresenceMessage> entered = new ArrayList<>();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			news.presence().subscribe(entered::add);
			flood("news", 1, 4);
			server.advance(MAX_PAUSE);
			server.receive("{\"action\":14,\"channel\":\"news\",\"channelSerial\":\"s5\",\"presence\":[{\"action\":2,"
					+ "\"clientId\":\"a\",\"connectionId\":\"ca\",\"id\":\"ca:0:0\"}]}");
			runSubscribers();
			assertThat(entered).as("not taken while the subscribers were slow").isEmpty();
			assertThat(server.lastSent().getChannelSerial()).as("the channel attaches again from before it")
				.isEqualTo("s4");
		}

	}

	@Nested
	class SlowSubscribersThatDrop {

		@BeforeEach
		void dropWhenSlow() {
			createClient((options) -> options.slowSubscriberPolicy(SlowSubscriberPolicy.DROP));
		}

		@Test
		void messagesAreDroppedAndCountedUntilTheSubscribersCatchUp() {
			List<Object> received = new ArrayList<>();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> received.add(message.data()));
			flood("news", 1, 4);
			server.advance(MAX_PAUSE);
			flood("news", 5, 3);
			runSubscribers();
			flood("news", 8, 1);
			runSubscribers();
			assertThat(received).containsExactly("m1", "m2", "m3", "m4", "m8");
			assertThat(news.droppedMessages()).isEqualTo(3);
			assertThat(news.state()).isEqualTo(ChannelState.ATTACHED);
			assertThat(slow).singleElement()
				.satisfies((event) -> assertThat(event.policy()).isEqualTo(SlowSubscriberPolicy.DROP));
		}

		@Test
		void otherChannelsAreUntouched() {
			List<Object> sports = new ArrayList<>();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			RealtimeChannel other = attach("sports");
			other.subscribe((message) -> sports.add(message.data()));
			flood("news", 1, 6);
			server.advance(MAX_PAUSE);
			flood("sports", 1, 2);
			runSubscribers();
			assertThat(sports).containsExactly("m1", "m2");
			assertThat(other.droppedMessages()).isZero();
			assertThat(server.changes()).extracting(ConnectionStateChange::current)
				.containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
		}

	}

	private RealtimeChannel attached(String name) {
		server.connect("c1", "k1");
		return attach(name);
	}

	private RealtimeChannel attach(String name) {
		RealtimeChannel channel = server.client().channel(name);
		channel.attach();
		server.settle();
		server.receive("{\"action\":11,\"channel\":\"" + name + "\"}");
		return channel;
	}

	/**
	 * The server sends messages {@code m<first>} onwards, one per frame, with channel
	 * serials {@code s<n>}.
	 */
	@Nested
	class Statistics {

		@Test
		void theBacklogOfSubscribersAndSlowSubscriberEventsAreInTheStatistics() {
			createClient((options) -> options.slowSubscriberPolicy(SlowSubscriberPolicy.DROP));
			RealtimeStatistics statistics = server.client().statistics();
			RealtimeChannel news = attached("news");
			news.subscribe((message) -> {
			});
			assertThat(statistics.subscriberBacklog()).isZero();
			flood("news", 1, 4);
			long backlog = statistics.subscriberBacklog();
			assertThat(backlog).isGreaterThan(BUFFER.toBytes());
			assertThat(statistics.channels()).singleElement()
				.satisfies((channel) -> assertThat(channel.subscriberBacklog()).isEqualTo(backlog));
			assertThat(statistics.slowSubscriberEvents()).isZero();
			server.advance(MAX_PAUSE);
			flood("news", 5, 3);
			assertThat(statistics.slowSubscriberEvents()).isEqualTo(1).isEqualTo(slow.size());
			assertThat(statistics.channels()).singleElement()
				.satisfies((channel) -> assertThat(channel.droppedMessages()).isEqualTo(3));
			runSubscribers();
			assertThat(statistics.subscriberBacklog()).isZero();
		}

	}

	private void flood(String channel, int first, int count) {
		for (int n = first; n < first + count; n++) {
			server.transport()
				.receive("{\"action\":15,\"channel\":\"" + channel + "\",\"channelSerial\":\"s" + n
						+ "\",\"messages\":[{\"data\":\"m" + n + "\",\"name\":\"" + "padding".repeat(8) + "\"}]}");
		}
		server.settle();
	}

	private void answerPing() {
		ProtocolMessage heartbeat = server.lastSent();
		assertThat(heartbeat.getAction()).isEqualTo(Action.HEARTBEAT);
		server.receive("{\"action\":0,\"id\":\"" + heartbeat.getId() + "\"}");
	}

	/** Let the subscribers catch up with everything, including what reading resumed. */
	private void runSubscribers() {
		do {
			server.settle();
		}
		while (this.subscriberLanes.runAll());
	}

	/** An executor that runs its tasks when told. */
	private static final class HeldExecutor implements Executor {

		private final Queue<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		boolean runAll() {
			boolean ran = false;
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
				ran = true;
			}
			return ran;
		}

	}

}
