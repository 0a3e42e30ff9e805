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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ChannelState.ATTACHED;
import static dev.realtime.client.ChannelState.ATTACHING;
import static dev.realtime.client.ChannelState.DETACHED;
import static dev.realtime.client.ChannelState.DETACHING;
import static dev.realtime.client.ChannelState.FAILED;
import static dev.realtime.client.ChannelState.INITIALIZED;
import static dev.realtime.client.ChannelState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Channels exactly per the specification, on virtual time with a fake transport whose
 * server answers only when a test says so. Clause IDs refer to the Ably features
 * specification.
 */
class ChannelSpecificationTests {

	private VirtualClient server;

	private RealtimeChannel channel;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer);
		this.channel = this.server.client().channel("news");
	}

	@Nested
	class PendingRequests {

		@Test
		void detachWhileAttachingWaitsForTheAttachThenDetaches() {
			// RTL5i
			server.connect("c1", "k1");
			CompletableFuture<Void> attached = channel.attach();
			CompletableFuture<Void> detached = channel.detach();
			server.settle();
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.ATTACH);
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.ATTACH, Action.DETACH);
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED);
		}

		@Test
		void theLatestCallWinsOverACallThatWaits() {
			server.connect("c1", "k1");
			channel.attach();
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attachedAgain = channel.attach();
			server.settle();
			assertThat(VirtualClient.failureOf(detached).message()).contains("superseded by attach()");
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attachedAgain).isCompleted();
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.ATTACH);
		}

		@Test
		void aDetachThatTimesOutReturnsToAttachedAndLaterRequestsComplete() {
			// RTL5f
			attached();
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(VirtualClient.failureOf(detached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(channel.state()).isEqualTo(ATTACHED);
			assertThat(attached).as("the waiting attach finds the channel attached").isCompleted();
			CompletableFuture<Void> detachedNow = channel.detach();
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detachedNow).isCompleted();
		}

		@Test
		void anAttachedFromTheServerAfterADetachIsAnsweredWithAnotherDetach() {
			// RTL5k
			attached();
			channel.detach();
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(channel.state()).isEqualTo(DETACHING);
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.ATTACH, Action.DETACH,
					Action.DETACH);
		}

	}

	@Nested
	class ConnectionEffects {

		@Test
		void aDropLeavesChannelStatesAloneAndADetachUnderWayIsSentAgain() {
			// RTL3e, RTN19b
			attached();
			CompletableFuture<Void> detached = channel.detach();
			server.settle();
			server.transport().drop("reset");
			server.settle();
			assertThat(server.connection().state()).isEqualTo(ConnectionState.DISCONNECTED);
			assertThat(channel.state()).isEqualTo(DETACHING);
			server.advance(Duration.ofSeconds(15));
			assertThat(channel.state()).as("no detach timeout while disconnected").isEqualTo(DETACHING);
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.DETACH);
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
		}

	}

	@Nested
	class Serials {

		@Test
		void theChannelSerialIsForgottenOnDetachedSoAttachingAgainStartsAfresh() {
			// RTL15b2
			attached();
			server.receive(
					"{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s7\",\"messages\":[{\"data\":\"a\"}]}");
			channel.detach();
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			channel.attach();
			server.settle();
			ProtocolMessage attach = server.lastSent();
			assertThat(attach.getAction()).isEqualTo(Action.ATTACH);
			assertThat(attach.getChannelSerial()).isNull();
		}

	}

	@Nested
	class ServerDetaches {

		@Test
		void anUnrequestedDetachedWhileSuspendedAttachesAgainAtOnce() {
			// RTL13a
			server.connect("c1", "k1");
			channel.attach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			server.receive("{\"action\":13,\"channel\":\"news\",\"error\":{\"code\":90198,\"statusCode\":500,"
					+ "\"message\":\"detached\"}}");
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(channel.errorReason().code()).isEqualTo(90198);
			assertThat(server.lastSent().getAction()).isEqualTo(Action.ATTACH);
		}

		@Test
		void attachingAFailedChannelClearsItsErrorReason() {
			// RTL4g
			attached();
			server.receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(channel.errorReason()).isNotNull();
			channel.attach();
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(channel.errorReason()).isNull();
		}

	}

	@Nested
	class Subscribing {

		@Test
		void subscribingAttachesTheChannel() {
			// RTL7g
			server.connect("c1", "k1");
			channel.subscribe((message) -> {
			});
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).containsExactly(Action.ATTACH);
		}

		@Test
		void subscribingLeavesTheChannelAloneWhenAttachOnSubscribeIsOff() {
			createClient((options) -> options.attachOnSubscribe(false));
			server.connect("c1", "k1");
			channel.subscribe((message) -> {
			});
			server.settle();
			assertThat(channel.state()).isEqualTo(INITIALIZED);
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH)).isEmpty();
		}

	}

	@Nested
	class Releasing {

		@Test
		void releaseDetachesAndForgetsTheChannel() {
			// RTS4
			attached();
			CompletableFuture<Void> released = server.client().release("news");
			server.settle();
			assertThat(server.lastSent().getAction()).isEqualTo(Action.DETACH);
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(released).isCompleted();
			RealtimeChannel fresh = server.client().channel("news");
			assertThat(fresh).isNotSameAs(channel);
			assertThat(fresh.state()).isEqualTo(INITIALIZED);
		}

		@Test
		void aReleasedChannelFailsEveryOperation() {
			attached();
			server.client().release("news");
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(VirtualClient.failureOf(channel.attach()).message()).contains("was released");
			assertThat(VirtualClient.failureOf(channel.publish("n", "d")).message()).contains("was released");
			assertThatIllegalStateException().isThrownBy(() -> channel.subscribe((message) -> {
			})).withMessageContaining("was released");
		}

		@Test
		void releasingAnUnknownChannelCompletesAtOnce() {
			assertThat(server.client().release("unknown")).isCompleted();
		}

	}

	@Nested
	class Options {

		@Test
		void paramsAndModesAreSentWithAttachAndTheGrantedOnesReported() {
			// RTL4k, RTL4l, RTL4m, RTL4k1
			RealtimeChannel rewinding = server.client()
				.channel("rewinding",
						ChannelOptions.defaults().withParam("rewind", "10").withModes(ChannelMode.SUBSCRIBE));
			server.connect("c1", "k1");
			rewinding.attach();
			server.settle();
			ProtocolMessage attach = server.lastSent();
			assertThat(attach.getParams()).containsEntry("rewind", "10");
			assertThat(attach.getFlags()).isEqualTo(Flags.SUBSCRIBE);
			server.receive("{\"action\":11,\"channel\":\"rewinding\",\"flags\":" + (Flags.SUBSCRIBE | Flags.RESUMED)
					+ ",\"params\":{\"rewind\":\"10\"}}");
			assertThat(rewinding.modes()).containsExactly(ChannelMode.SUBSCRIBE);
			assertThat(rewinding.params()).isEqualTo(Map.of("rewind", "10"));
		}

		@Test
		void newOptionsOnAnAttachedChannelAttachItAgain() {
			// RTL16a
			attached();
			CompletableFuture<Void> updated = channel
				.setOptions(ChannelOptions.defaults().withParam("delta", "vcdiff"));
			server.settle();
			assertThat(updated).isNotDone();
			assertThat(server.lastSent().getParams()).containsEntry("delta", "vcdiff");
			server.receive("{\"action\":11,\"channel\":\"news\",\"flags\":4}");
			assertThat(updated).isCompleted();
		}

	}

	private void attached() {
		this.server.connect("c1", "k1");
		this.channel.attach();
		this.server.settle();
		this.server.receive("{\"action\":11,\"channel\":\"news\"}");
	}

}
