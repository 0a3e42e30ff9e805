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

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolCodec;
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
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Channels exactly per the specification, on virtual time with a fake transport whose
 * server answers only when a test says so. Clause IDs refer to the Ably features
 * specification.
 */
class ChannelSpecificationTests {

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final ProtocolCodec codec = new ProtocolCodec();

	private final List<ChannelStateChange> changes = new ArrayList<>();

	private RealtimeClient client;

	private RealtimeChannel channel;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.changes.clear();
		RealtimeClientOptions options = customizer.apply(RealtimeClientOptions.builder(URL).key("app.key:secret"))
			.build();
		this.client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.transportFactory(this.transports)
			.build();
		this.client.addChannelListener(this.changes::add);
		this.channel = this.client.channel("news");
	}

	@Nested
	class PendingRequests {

		@Test
		void detachWhileAttachingWaitsForTheAttachThenDetaches() {
			// RTL5i
			connect();
			CompletableFuture<Void> attached = channel.attach();
			CompletableFuture<Void> detached = channel.detach();
			settle();
			assertThat(sentActions()).containsExactly(Action.ATTACH);
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
			assertThat(sentActions()).containsExactly(Action.ATTACH, Action.DETACH);
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED);
		}

		@Test
		void theLatestCallWinsOverACallThatWaits() {
			connect();
			channel.attach();
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attachedAgain = channel.attach();
			settle();
			assertThat(failureOf(detached).message()).contains("superseded by attach()");
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attachedAgain).isCompleted();
			assertThat(sentActions()).containsExactly(Action.ATTACH);
		}

		@Test
		void aDetachThatTimesOutReturnsToAttachedAndLaterRequestsComplete() {
			// RTL5f
			attached();
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attached = channel.attach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(failureOf(detached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(channel.state()).isEqualTo(ATTACHED);
			assertThat(attached).as("the waiting attach finds the channel attached").isCompleted();
			CompletableFuture<Void> detachedNow = channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detachedNow).isCompleted();
		}

		@Test
		void anAttachedFromTheServerAfterADetachIsAnsweredWithAnotherDetach() {
			// RTL5k
			attached();
			channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"news\"}");
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(channel.state()).isEqualTo(DETACHING);
			assertThat(sentActions()).containsExactly(Action.ATTACH, Action.DETACH, Action.DETACH);
		}

	}

	@Nested
	class ConnectionEffects {

		@Test
		void aDropLeavesChannelStatesAloneAndADetachUnderWayIsSentAgain() {
			// RTL3e, RTN19b
			attached();
			CompletableFuture<Void> detached = channel.detach();
			settle();
			transports.last().drop("reset");
			settle();
			assertThat(client.connection().state()).isEqualTo(ConnectionState.DISCONNECTED);
			assertThat(channel.state()).isEqualTo(DETACHING);
			scheduler.advance(Duration.ofSeconds(15));
			assertThat(channel.state()).as("no detach timeout while disconnected").isEqualTo(DETACHING);
			transports.last().receive(FakeTransportFactory.connected("c1", "k2"));
			settle();
			assertThat(sentActions()).containsExactly(Action.DETACH);
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
		}

	}

	@Nested
	class Serials {

		@Test
		void theChannelSerialIsForgottenOnDetachedSoAttachingAgainStartsAfresh() {
			// RTL15b2
			attached();
			receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s7\",\"messages\":[{\"data\":\"a\"}]}");
			channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"news\"}");
			channel.attach();
			settle();
			ProtocolMessage attach = lastSent();
			assertThat(attach.getAction()).isEqualTo(Action.ATTACH);
			assertThat(attach.getChannelSerial()).isNull();
		}

	}

	@Nested
	class ServerDetaches {

		@Test
		void anUnrequestedDetachedWhileSuspendedAttachesAgainAtOnce() {
			// RTL13a
			connect();
			channel.attach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			receive("{\"action\":13,\"channel\":\"news\",\"error\":{\"code\":90198,\"statusCode\":500,"
					+ "\"message\":\"detached\"}}");
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(channel.errorReason().code()).isEqualTo(90198);
			assertThat(lastSent().getAction()).isEqualTo(Action.ATTACH);
		}

		@Test
		void attachingAFailedChannelClearsItsErrorReason() {
			// RTL4g
			attached();
			receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(channel.errorReason()).isNotNull();
			channel.attach();
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(channel.errorReason()).isNull();
		}

	}

	@Nested
	class Subscribing {

		@Test
		void subscribingAttachesTheChannel() {
			// RTL7g
			connect();
			channel.subscribe((message) -> {
			});
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(sentActions()).containsExactly(Action.ATTACH);
		}

		@Test
		void subscribingLeavesTheChannelAloneWhenAttachOnSubscribeIsOff() {
			createClient((options) -> options.attachOnSubscribe(false));
			connect();
			channel.subscribe((message) -> {
			});
			settle();
			assertThat(channel.state()).isEqualTo(INITIALIZED);
			assertThat(sentActions()).isEmpty();
		}

	}

	@Nested
	class Releasing {

		@Test
		void releaseDetachesAndForgetsTheChannel() {
			// RTS4
			attached();
			CompletableFuture<Void> released = client.release("news");
			settle();
			assertThat(lastSent().getAction()).isEqualTo(Action.DETACH);
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(released).isCompleted();
			RealtimeChannel fresh = client.channel("news");
			assertThat(fresh).isNotSameAs(channel);
			assertThat(fresh.state()).isEqualTo(INITIALIZED);
		}

		@Test
		void aReleasedChannelFailsEveryOperation() {
			attached();
			client.release("news");
			settle();
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(failureOf(channel.attach()).message()).contains("was released");
			assertThat(failureOf(channel.publish("n", "d")).message()).contains("was released");
			assertThatIllegalStateException().isThrownBy(() -> channel.subscribe((message) -> {
			})).withMessageContaining("was released");
		}

		@Test
		void releasingAnUnknownChannelCompletesAtOnce() {
			assertThat(client.release("unknown")).isCompleted();
		}

	}

	@Nested
	class Options {

		@Test
		void paramsAndModesAreSentWithAttachAndTheGrantedOnesReported() {
			// RTL4k, RTL4l, RTL4m, RTL4k1
			RealtimeChannel rewinding = client.channel("rewinding",
					ChannelOptions.defaults().withParam("rewind", "10").withModes(ChannelMode.SUBSCRIBE));
			connect();
			rewinding.attach();
			settle();
			ProtocolMessage attach = lastSent();
			assertThat(attach.getParams()).containsEntry("rewind", "10");
			assertThat(attach.getFlags()).isEqualTo(Flags.SUBSCRIBE);
			receive("{\"action\":11,\"channel\":\"rewinding\",\"flags\":" + (Flags.SUBSCRIBE | Flags.RESUMED)
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
			settle();
			assertThat(updated).isNotDone();
			assertThat(lastSent().getParams()).containsEntry("delta", "vcdiff");
			receive("{\"action\":11,\"channel\":\"news\",\"flags\":4}");
			assertThat(updated).isCompleted();
		}

	}

	private void connect() {
		this.client.connection().connect();
		settle();
		this.transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
		settle();
	}

	private void attached() {
		connect();
		this.channel.attach();
		settle();
		receive("{\"action\":11,\"channel\":\"news\"}");
	}

	private void receive(String frame) {
		this.transports.last().receive(frame);
		settle();
	}

	private void keepAlive(Duration duration) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
			this.scheduler.advance(Duration.ofSeconds(5));
			this.transports.last().receive("{\"action\":0}");
			settle();
		}
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private ProtocolMessage lastSent() {
		List<String> sent = this.transports.last().sent();
		assertThat(sent).isNotEmpty();
		return this.codec.decode(sent.get(sent.size() - 1));
	}

	/** The channel requests sent on the current transport. */
	private List<Action> sentActions() {
		return this.transports.last()
			.sent()
			.stream()
			.map(this.codec::decode)
			.map(ProtocolMessage::getAction)
			.filter((action) -> action == Action.ATTACH || action == Action.DETACH)
			.toList();
	}

	private List<ChannelState> states() {
		return this.changes.stream()
			.filter((change) -> change.channel().equals("news"))
			.map(ChannelStateChange::current)
			.toList();
	}

	private static ErrorInfo failureOf(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		Throwable failure = catchThrowable(future::join);
		return ((RealtimeException) failure.getCause()).getErrorInfo();
	}

}
