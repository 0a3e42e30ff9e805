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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.HostileFrames;
import dev.realtime.client.protocol.ProtocolMessage;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of a connected client under a storm of hostile frames, on virtual time with
 * a fake transport: no exception escapes and nothing reaches the log at ERROR, every
 * change of state is legal, and afterwards the connection carries on (or has failed per
 * the spec, with a reason) and can be brought back to answer a ping and acknowledge a
 * publish: nothing hangs.
 */
class HostileConnectionPropertyTests {

	private static final Logger clientLogger = Logger.getLogger("dev.realtime");

	@BeforeContainer
	static void quiet() {
		// Hostile frames are logged at WARN by design: keep them off the console
		clientLogger.setUseParentHandlers(false);
	}

	@AfterContainer
	static void loud() {
		clientLogger.setUseParentHandlers(true);
	}

	@Property(tries = 300)
	void aStormOfHostileFramesHurtsNothingTheConnectionCannotRecoverFrom(@ForAll("storms") List<Step> storm) {
		try (LogRecords logs = LogRecords.start()) {
			VirtualClient server = new VirtualClient();
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			// A subscriber, so that what arrives is decoded and delivered too
			List<Object> received = new ArrayList<>();
			channel.subscribe((message) -> received.add(message.data()));
			List<CompletableFuture<Void>> published = List.of(channel.publish("e", "1"), channel.publish("e", "2"));
			server.settle();

			for (Step step : storm) {
				if (step.frame() != null) {
					if (!server.transport().isClosed()) {
						server.transport().receive(step.frame());
					}
				}
				else {
					server.advance(step.pause());
				}
				server.settle();
			}

			assertThat(logs.errorsOrStackTraces()).as("logged at ERROR or with a stack trace").isEmpty();
			assertLegalChanges(server.changes());
			if (server.connection().state() == ConnectionState.FAILED) {
				assertThat(server.connection().errorReason()).as("reason of FAILED").isNotNull();
				assertThat(published).allSatisfy((future) -> assertThat(future).isDone());
				return;
			}
			bringBack(server);
			assertThat(ping(server)).isCompleted();
			CompletableFuture<Void> after = channel.publish("e", "after");
			server.settle();
			if (!after.isDone()) {
				ProtocolMessage sent = server.lastSent(Action.MESSAGE);
				server.receive("{\"action\":1,\"msgSerial\":" + sent.getMsgSerial() + ",\"count\":1}");
			}
			assertThat(after).isDone();
			assertThat(logs.errorsOrStackTraces()).as("logged at ERROR or with a stack trace").isEmpty();
		}
	}

	/**
	 * Answer connection attempts until the connection is connected again; the storm may
	 * have dropped it, set odd connection details, or left it waiting to retry.
	 */
	private static void bringBack(VirtualClient server) {
		for (int second = 0; second < 600 && server.connection().state() != ConnectionState.CONNECTED; second++) {
			if (server.connection().state() == ConnectionState.CONNECTING && !server.transport().isClosed()) {
				server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
						+ "\"maxIdleInterval\":15000,\"connectionStateTtl\":120000,\"maxMessageSize\":65536}}");
			}
			else {
				server.advance(Duration.ofSeconds(1));
			}
		}
		assertThat(server.connection().state()).as("state after answering the attempts")
			.isEqualTo(ConnectionState.CONNECTED);
	}

	private static CompletableFuture<Duration> ping(VirtualClient server) {
		CompletableFuture<Duration> rtt = server.connection().ping();
		server.settle();
		String id = server.lastSent(Action.HEARTBEAT).getId();
		server.receive("{\"action\":0,\"id\":\"" + id + "\"}");
		return rtt;
	}

	private static void assertLegalChanges(List<ConnectionStateChange> changes) {
		ConnectionState current = ConnectionState.INITIALIZED;
		for (ConnectionStateChange change : changes) {
			assertThat(change.previous()).as("previous state of %s", change).isEqualTo(current);
			assertThat(change.isUpdate() || ConnectionStateTransitions.isAllowed(change.previous(), change.current()))
				.as("legal: %s", change)
				.isTrue();
			current = change.current();
		}
	}

	@Provide
	Arbitrary<List<Step>> storms() {
		return HostileFrames.arbitrary(HostileConnectionPropertyTests::storm);
	}

	/**
	 * Make up a storm: frames as a hostile server sends them, frames a server sends with
	 * odd but well-typed values, extreme frames, and pauses.
	 */
	private static List<Step> storm(HostileFrames frames) {
		List<Step> storm = new ArrayList<>();
		int length = frames.between(1, 26);
		for (int i = 0; i < length; i++) {
			int roll = frames.between(0, 21);
			if (roll < 12) {
				storm.add(Step.frame(frames.hostileFrame()));
			}
			else if (roll < 18) {
				storm.add(Step.frame(plausibleFrame(frames)));
			}
			else if (roll < 20) {
				storm.add(Step.pause(frames.between(0, 41)));
			}
			else {
				storm.add(Step.frame(frames.extreme()));
			}
		}
		return storm;
	}

	/**
	 * Make up a frame of an action a server sends, for this client's channel, with values
	 * that are odd but well typed.
	 */
	private static String plausibleFrame(HostileFrames frames) {
		int small1 = frames.between(-2, 5);
		int small2 = frames.between(-2, 5);
		return switch (frames.between(0, 7)) {
			case 0 -> "{\"action\":1,\"msgSerial\":" + small1 + ",\"count\":" + small2 + "}";
			case 1 -> "{\"action\":2,\"msgSerial\":" + small1 + ",\"count\":" + small2 + ",\"error\":{\"code\":40160}}";
			case 2 -> "{\"action\":4,\"connectionId\":\"c" + frames.between(0, 3)
					+ "\",\"connectionDetails\":{\"maxIdleInterval\":" + frames.between(-1, 60_000)
					+ ",\"connectionStateTtl\":" + frames.between(-1, 60_000) + ",\"maxMessageSize\":"
					+ frames.between(-1, 60_000) + "}}";
			case 3 -> {
				Action action = frames.pick(List.of(Action.values()));
				yield "{\"action\":" + action.code() + ",\"channel\":\"news\",\"channelSerial\":\"s" + action.code()
						+ "\",\"messages\":[{\"data\":\"x\"},null]}";
			}
			case 4 -> "{\"action\":0}";
			case 5 -> "{\"action\":6}";
			default -> "{\"action\":13,\"channel\":\"news\",\"error\":{\"code\":90198}}";
		};
	}

	/**
	 * One step of a storm: a frame from the server, or a pause.
	 */
	record Step(String frame, Duration pause) {

		static Step frame(String frame) {
			return new Step(frame, Duration.ZERO);
		}

		static Step pause(int seconds) {
			return new Step(null, Duration.ofSeconds(seconds));
		}

		@Override
		public String toString() {
			if (this.frame == null) {
				return "pause " + this.pause;
			}
			return (this.frame.length() <= 300) ? this.frame
					: this.frame.substring(0, 300) + "... (" + this.frame.length() + " chars)";
		}

	}

}
