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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ChannelState.ATTACHED;
import static dev.realtime.client.ChannelState.ATTACHING;
import static dev.realtime.client.ChannelState.DETACHED;
import static dev.realtime.client.ChannelState.FAILED;
import static dev.realtime.client.ChannelState.SUSPENDED;
import static dev.realtime.client.PresenceAction.ENTER;
import static dev.realtime.client.PresenceAction.LEAVE;
import static dev.realtime.client.PresenceAction.PRESENT;
import static dev.realtime.client.PresenceAction.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Presence on virtual time with a fake transport whose server answers only when a test
 * says so. Clause IDs refer to the Ably features specification.
 */
class PresenceTests {

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final ProtocolCodec codec = new ProtocolCodec();

	private final List<ChannelStateChange> changes = new ArrayList<>();

	private final List<PresenceMessage> events = new ArrayList<>();

	private RealtimeClient client;

	private RealtimeChannel channel;

	private RealtimePresence presence;

	@BeforeEach
	void createClient() {
		createClient((options) -> options.clientId("alice"));
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
		this.channel = this.client.channel("room");
		this.presence = this.channel.presence();
	}

	@Nested
	class Entering {

		@Test
		void enterSendsAPresenceMessageWithoutClientIdAndCompletesOnAck() {
			// RTP8a, RTP8c
			attached(0);
			CompletableFuture<Void> entered = presence.enter("hello");
			settle();
			ProtocolMessage sent = lastSent();
			assertThat(sent.getAction()).isEqualTo(Action.PRESENCE);
			assertThat(sent.getChannel()).isEqualTo("room");
			assertThat(sent.getMsgSerial()).isZero();
			assertThat(sent.getPresence()).singleElement().satisfies((message) -> {
				assertThat(message.action()).isEqualTo(ENTER.code());
				assertThat(message.clientId()).isNull();
				assertThat(message.data()).isEqualTo("hello");
			});
			assertThat(entered).isNotDone();
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void updateAndLeaveSendTheirActionsAndShareTheMessageSerials() {
			// RTP9d, RTP10c
			attached(0);
			channel.publish("chat", "hi");
			presence.update(Map.of("mood", "happy"));
			presence.leave(null);
			settle();
			List<ProtocolMessage> sent = sent(Action.PRESENCE);
			assertThat(sent).extracting(ProtocolMessage::getMsgSerial).containsExactly(1L, 2L);
			assertThat(sent).extracting((message) -> message.getPresence().get(0))
				.extracting(WirePresenceMessage::action, WirePresenceMessage::data, WirePresenceMessage::encoding)
				.containsExactly(tuple(UPDATE.code(), "{\"mood\":\"happy\"}", "json"), tuple(LEAVE.code(), null, null));
		}

		@Test
		void enterOnAnInitializedChannelAttachesItAndIsSentOnceAttached() {
			// RTP8d, RTP16b, RTP5b
			connect("c1");
			CompletableFuture<Void> entered = presence.enter("hello");
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(sentActions()).containsExactly(Action.ATTACH);
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(sentActions()).containsExactly(Action.ATTACH, Action.PRESENCE);
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void enterOnADetachedChannelAttachesIt() {
			attached(0);
			channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"room\"}");
			assertThat(channel.state()).isEqualTo(DETACHED);
			presence.enter(null);
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(lastSent().getAction()).isEqualTo(Action.PRESENCE);
		}

		@Test
		void enterOnAFailedChannelFails() {
			// RTP8g
			attached(0);
			receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			ErrorInfo failure = failureOf(presence.enter(null));
			assertThat(failure.code()).isEqualTo(ErrorInfo.CHANNEL_OPERATION_FAILED);
			assertThat(failure.message()).contains("FAILED");
			assertThat(sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void enterOnASuspendedChannelFails() {
			// RTP16c
			connect("c1");
			channel.attach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			assertThat(failureOf(presence.enter(null)).message()).contains("SUSPENDED");
		}

		@Test
		void enterWithoutAClientIdFailsWith40012() {
			// RTP8j
			createClient(UnaryOperator.identity());
			attached(0);
			ErrorInfo failure = failureOf(presence.enter("hello"));
			assertThat(failure.code()).isEqualTo(40012);
			assertThat(failure.statusCode()).isEqualTo(400);
			assertThat(failure.message()).contains("without a client id").contains("realtime.client-id");
			assertThat(sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void enterWithoutAClientIdBeforeConnectingFailsOnceConnectedWithoutOne() {
			createClient(UnaryOperator.identity());
			client.connection().connect();
			CompletableFuture<Void> entered = presence.enter("hello");
			settle();
			assertThat(entered).isNotDone();
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(failureOf(entered).code()).isEqualTo(40012);
			assertThat(sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void theClientIdTheServerGrantsIsEnough() {
			createClient(UnaryOperator.identity());
			client.connection().connect();
			settle();
			receive(connectedFrame("c1", "bob"));
			channel.attach();
			settle();
			receive("{\"action\":11,\"channel\":\"room\"}");
			CompletableFuture<Void> entered = presence.enter(null);
			settle();
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void aNackFailsTheEnterWithTheServersError() {
			// RTP8h
			attached(0);
			CompletableFuture<Void> entered = presence.enter(null);
			settle();
			receive("{\"action\":2,\"msgSerial\":0,\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no presence capability\"}}");
			assertThat(failureOf(entered)).isEqualTo(new ErrorInfo(40160, 401, "no presence capability"));
		}

		@Test
		void anEnterWaitingForTheAttachFailsWhenTheChannelFails() {
			// RTP5a
			connect("c1");
			CompletableFuture<Void> entered = presence.enter(null);
			settle();
			receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(failureOf(entered).code()).isEqualTo(40160);
		}

		@Test
		void anEnterWaitingForTheAttachFailsWhenTheChannelIsSuspended() {
			// RTP5f
			connect("c1");
			CompletableFuture<Void> entered = presence.enter(null);
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			assertThat(failureOf(entered).code()).isEqualTo(ErrorInfo.TIMEOUT);
		}

		@Test
		void anEnterFailsWhenTheConnectionCannotAttachTheChannel() {
			connect("c1");
			client.connection().close();
			settle();
			receive("{\"action\":8}");
			ErrorInfo failure = failureOf(presence.enter(null));
			assertThat(failure.message()).contains("Cannot attach channel 'room' while the connection is CLOSED");
		}

		@Test
		void anEnterWhileTheConnectionIsDisconnectedIsSentOnTheNextTransport() {
			// RTP16a
			attached(0);
			transports.last().drop("reset");
			settle();
			CompletableFuture<Void> entered = presence.enter("hello");
			settle();
			scheduler.advance(Duration.ofSeconds(15));
			receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(sent(Action.PRESENCE)).hasSize(1);
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

	}

	@Nested
	class Syncing {

		@Test
		void attachedWithoutHasPresenceMeansNobodyIsPresent() {
			// RTP1
			attached(0);
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			assertThat(members).isCompletedWithValue(List.of());
		}

		@Test
		void attachedWithHasPresenceWaitsForTheSyncToEnd() {
			// RTP1, RTP18a, RTP18b, RTP11a
			attached(1);
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			receive(sync("seq1:cursor1", member(1, "a", "ca:0:0", "A")));
			assertThat(members).isNotDone();
			receive(sync("seq1:", member(1, "b", "cb:0:0", "B")));
			assertThat(members).isCompleted();
			assertThat(members.join())
				.extracting(PresenceMessage::action, PresenceMessage::clientId, PresenceMessage::connectionId,
						PresenceMessage::data)
				.containsExactly(tuple(PRESENT, "a", "ca", "A"), tuple(PRESENT, "b", "cb", "B"));
		}

		@Test
		void aSyncWithoutChannelSerialIsWholeInOneMessage() {
			// RTP18c
			attached(1);
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			receive(sync(null, member(1, "a", "ca:0:0", null)));
			assertThat(members.join()).extracting(PresenceMessage::clientId).containsExactly("a");
		}

		@Test
		void membersNotSeenInACompletedSyncLeave() {
			// RTP19
			attached(0);
			subscribe();
			receive(presence(member(2, "a", "ca:0:0", "A"), member(2, "b", "cb:0:0", "B")));
			scheduler.advance(Duration.ofSeconds(3));
			receive(sync("s1:", member(1, "a", "ca:0:0", "A")));
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId)
				.containsExactly(tuple(ENTER, "a"), tuple(ENTER, "b"), tuple(LEAVE, "b"));
			PresenceMessage leave = events.get(2);
			assertThat(leave.id()).isNull();
			assertThat(leave.connectionId()).isEqualTo("cb");
			assertThat(leave.data()).isEqualTo("B");
			assertThat(leave.timestamp()).isEqualTo(scheduler.now());
			assertThat(members()).containsExactly("a");
		}

		@Test
		void aNewSequenceIdStartsTheSyncAfresh() {
			// RTP18a
			attached(0);
			receive(presence(member(2, "x", "cx:0:0", null), member(2, "y", "cy:0:0", null)));
			receive(sync("s2:c1", member(1, "x", "cx:0:0", null)));
			receive(sync("s3:c1", member(1, "y", "cy:0:0", null)));
			receive(sync("s3:", new String[0]));
			assertThat(members()).as("x was seen only in the sync that was discarded").containsExactly("y");
		}

		@Test
		void membersPresentBeforeAndAfterASyncEmitNothing() {
			attached(0);
			receive(presence(member(2, "a", "ca:0:0", null)));
			subscribe();
			receive(sync("s1:", member(1, "a", "ca:0:0", null)));
			assertThat(events).isEmpty();
			assertThat(members()).containsExactly("a");
		}

		@Test
		void aLeaveDuringASyncIsHeldAsAbsentSoAnOlderPresentCannotBringTheMemberBack() {
			// RTP2h2
			attached(1);
			subscribe();
			receive(sync("s1:c1", member(1, "a", "ca:5:0", null)));
			receive(presence(member(3, "a", "ca:6:0", null), member(3, "b", "cb:3:0", null)));
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			receive(sync("s1:", member(1, "b", "cb:1:0", null)));
			assertThat(members.join()).isEmpty();
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId)
				.as("a left while present; b was never present; no LEAVE is synthesized for either")
				.containsExactly(tuple(PRESENT, "a"), tuple(LEAVE, "a"));
		}

		@Test
		void attachedAgainWithoutHasPresenceLeavesEveryMember() {
			// RTP19a
			attached(0);
			receive(presence(member(2, "a", "ca:0:0", "A")));
			subscribe();
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId, PresenceMessage::id)
				.containsExactly(tuple(LEAVE, "a", null));
			assertThat(members()).isEmpty();
		}

		@Test
		void aResumedAttachedLeavesTheMembersAlone() {
			attached(0);
			receive(presence(member(2, "a", "ca:0:0", null)));
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			assertThat(members()).containsExactly("a");
		}

		@Test
		void newnessIsByMessageSerialThenIndex() {
			// RTP2a, RTP2b2
			attached(0);
			subscribe();
			receive(presence(member(2, "a", "ca:5:0", "v1")));
			receive(presence(member(4, "a", "ca:4:9", "stale")));
			receive(presence(member(4, "a", "ca:5:0", "same")));
			receive(presence(member(4, "a", "ca:5:1", "v2")));
			receive(presence(member(4, "a", "ca:10:0", "v3")));
			assertThat(events).extracting(PresenceMessage::data).containsExactly("v1", "v2", "v3");
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			assertThat(members.join()).extracting(PresenceMessage::data).containsExactly("v3");
		}

		@Test
		void aSynthesizedLeaveIsComparedByTimestamp() {
			// RTP2b1, RTP2b1a
			attached(0);
			receive(presence(member(2, "a", "ca", "ca:5:0", null, 1000)));
			receive(presence(member(3, "a", "ca", "synthesized:0", null, 999)));
			assertThat(members()).containsExactly("a");
			receive(presence(member(3, "a", "ca", "synthesized:1", null, 1000)));
			assertThat(members()).isEmpty();
		}

		@Test
		void presenceMessagesMoveTheChannelSerialAndSyncMessagesDoNot() {
			// RTL15b
			attached(0);
			receive("{\"action\":14,\"channel\":\"room\",\"channelSerial\":\"p5\",\"presence\":["
					+ member(2, "a", "ca:0:0", null) + "]}");
			receive(sync("s1:", member(1, "a", "ca:0:0", null)));
			transports.last().drop("reset");
			settle();
			scheduler.advance(Duration.ofSeconds(15));
			receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(lastSent().getAction()).isEqualTo(Action.ATTACH);
			assertThat(lastSent().getChannelSerial()).isEqualTo("p5");
		}

		@Test
		void whatAPresenceMessageLeavesOutComesFromItsProtocolMessage() {
			// TP3a, TP3d, TP3g
			attached(0);
			subscribe();
			receive("{\"action\":14,\"channel\":\"room\",\"id\":\"ca:7\",\"connectionId\":\"ca\","
					+ "\"timestamp\":1700000000000,\"presence\":[{\"action\":2,\"clientId\":\"a\"},"
					+ "{\"action\":2,\"clientId\":\"b\"}]}");
			assertThat(events)
				.extracting(PresenceMessage::id, PresenceMessage::connectionId, PresenceMessage::timestamp)
				.containsExactly(tuple("ca:7:0", "ca", Instant.ofEpochMilli(1700000000000L)),
						tuple("ca:7:1", "ca", Instant.ofEpochMilli(1700000000000L)));
		}

		@Test
		void dataIsDecodedAsAMessagesIs() {
			attached(0);
			subscribe();
			receive("{\"action\":14,\"channel\":\"room\",\"presence\":[{\"action\":2,\"clientId\":\"a\","
					+ "\"connectionId\":\"ca\",\"id\":\"ca:0:0\",\"data\":\"{\\\"n\\\":1}\",\"encoding\":\"json\"},"
					+ "{\"action\":2,\"clientId\":\"b\",\"connectionId\":\"cb\",\"id\":\"cb:0:0\","
					+ "\"data\":\"AQI=\",\"encoding\":\"base64\"}]}");
			assertThat(events.get(0).data()).isEqualTo(Map.of("n", 1));
			assertThat((byte[]) events.get(1).data()).containsExactly(1, 2);
		}

		@Test
		void presenceMessagesWithAnUnknownActionOrNoClientIdAreIgnored() {
			// RTF1
			attached(0);
			receive("{\"action\":14,\"channel\":\"room\",\"presence\":[{\"action\":42,\"clientId\":\"a\","
					+ "\"connectionId\":\"ca\"},{\"action\":2,\"connectionId\":\"cb\"},"
					+ member(2, "c", "cc:0:0", null) + "]}");
			assertThat(members()).containsExactly("c");
		}

	}

	@Nested
	class Getting {

		@Test
		void getOnAnInitializedChannelAttachesItAndWaitsForTheSync() {
			// RTP11e
			connect("c1");
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			assertThat(members).isNotDone();
			receive(sync("s:", member(1, "a", "ca:0:0", null)));
			assertThat(members.join()).extracting(PresenceMessage::clientId).containsExactly("a");
		}

		@Test
		void getOnAFailedChannelFails() {
			// RTL33c
			attached(0);
			receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(failureOf(presence.get()).code()).isEqualTo(ErrorInfo.CHANNEL_OPERATION_FAILED);
		}

		@Test
		void getOnASuspendedChannelFailsWith91005() {
			// RTP11d
			connect("c1");
			channel.attach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			ErrorInfo failure = failureOf(presence.get());
			assertThat(failure.code()).isEqualTo(91005);
			assertThat(failure.message()).contains("out of date");
		}

		@Test
		void aGetWaitingForASyncFailsWhenTheChannelDetachesAndTheMembersAreForgotten() {
			// RTP5a
			attached(1);
			receive(sync("s:c", member(1, "a", "ca:0:0", null)));
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"room\"}");
			assertThat(members).isCompletedExceptionally();
			channel.attach();
			settle();
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			receive(sync("s2:", new String[0]));
			assertThat(members()).isEmpty();
		}

		@Test
		void membersSurviveASuspendedChannel() {
			// RTP5f
			attached(0);
			receive(presence(member(2, "a", "ca:0:0", null)));
			subscribe();
			receive("{\"action\":13,\"channel\":\"room\"}");
			keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			scheduler.advance(Duration.ofSeconds(15));
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			receive(sync("s:", member(1, "a", "ca:0:0", null), member(1, "b", "cb:0:0", null)));
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId)
				.containsExactly(tuple(PRESENT, "b"));
			assertThat(members()).containsExactly("a", "b");
		}

	}

	@Nested
	class Subscribing {

		@Test
		void subscribingAttachesTheChannel() {
			// RTP6d
			connect("c1");
			presence.subscribe(events::add);
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
		}

		@Test
		void subscribingLeavesTheChannelAloneWhenAttachOnSubscribeIsOff() {
			createClient((options) -> options.attachOnSubscribe(false));
			connect("c1");
			presence.subscribe(events::add);
			settle();
			assertThat(channel.state()).isEqualTo(ChannelState.INITIALIZED);
		}

		@Test
		void aSubscriberThatThrowsStaysSubscribedAndOthersStillHear() {
			attached(0);
			presence.subscribe((message) -> {
				throw new IllegalStateException("boom");
			});
			subscribe();
			receive(presence(member(2, "a", "ca:0:0", null)));
			receive(presence(member(2, "b", "cb:0:0", null)));
			assertThat(events).hasSize(2);
		}

		@Test
		void anUnsubscribedSubscriberHearsNothingMore() {
			attached(0);
			Subscription subscription = presence.subscribe(events::add);
			receive(presence(member(2, "a", "ca:0:0", null)));
			subscription.unsubscribe();
			receive(presence(member(2, "b", "cb:0:0", null)));
			assertThat(events).extracting(PresenceMessage::clientId).containsExactly("a");
		}

	}

	@Nested
	class EnteringAgain {

		@Test
		void ownMembersAreEnteredAgainWithoutTheirIdAfterAnAttachOnANewConnection() {
			// RTP17i, RTP17g, RTP17g1
			enteredAsAlice();
			transports.last().drop("reset");
			settle();
			scheduler.advance(Duration.ofSeconds(15));
			receive(FakeTransportFactory.connected("c2", "k2"));
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(lastSent().getAction()).isEqualTo(Action.PRESENCE);
			assertThat(lastSent().getPresence()).singleElement().satisfies((enter) -> {
				assertThat(enter.action()).isEqualTo(ENTER.code());
				assertThat(enter.clientId()).isEqualTo("alice");
				assertThat(enter.data()).isEqualTo("hello");
				assertThat(enter.id()).isNull();
			});
		}

		@Test
		void ownMembersAreEnteredAgainWithTheirIdOnTheSameConnection() {
			// RTP17g1, RTL13a
			enteredAsAlice();
			receive("{\"action\":13,\"channel\":\"room\"}");
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(lastSent().getPresence()).singleElement()
				.satisfies((enter) -> assertThat(enter.id()).isEqualTo("c1:0:0"));
		}

		@Test
		void aResumedAttachEntersNobodyAgain() {
			// RTP17i
			enteredAsAlice();
			receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			assertThat(sent(Action.PRESENCE)).hasSize(1);
		}

		@Test
		void aMemberThatLeftIsNotEnteredAgain() {
			// RTP17b
			enteredAsAlice();
			receive(presence(member(3, "alice", "c1:1:0", null)));
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(sent(Action.PRESENCE)).hasSize(1);
		}

		@Test
		void aSynthesizedLeaveOfAnOwnMemberDoesNotStopItBeingEnteredAgain() {
			// RTP17b
			enteredAsAlice();
			receive(presence(member(3, "alice", "c1", "server:0", null, 2000)));
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(sent(Action.PRESENCE)).hasSize(2);
		}

		@Test
		void aRefusedEnterIsReportedAsAnUpdateOfTheChannelWith91004() {
			// RTP17e
			enteredAsAlice();
			receive("{\"action\":11,\"channel\":\"room\"}");
			changes.clear();
			ErrorInfo refusal = new ErrorInfo(40160, 401, "no presence capability");
			receive("{\"action\":2,\"msgSerial\":1,\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no presence capability\"}}");
			assertThat(changes).singleElement().satisfies((change) -> {
				assertThat(change.isUpdate()).isTrue();
				assertThat(change.current()).isEqualTo(ATTACHED);
				assertThat(change.resumed()).isTrue();
				assertThat(change.reason().code()).isEqualTo(91004);
				assertThat(change.reason().message()).contains("'alice'");
				assertThat(change.reason().cause()).isEqualTo(refusal);
			});
			assertThat(channel.errorReason().code()).isEqualTo(91004);
		}

		@Test
		void aDetachedChannelForgetsItsOwnMembers() {
			// RTP5a
			enteredAsAlice();
			channel.detach();
			settle();
			receive("{\"action\":13,\"channel\":\"room\"}");
			channel.attach();
			settle();
			receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(sent(Action.PRESENCE)).as("only the first enter").hasSize(1);
		}

		private void enteredAsAlice() {
			attached(0);
			presence.enter("hello");
			settle();
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			receive(presence(member(2, "alice", "c1:0:0", "hello")));
		}

	}

	private void connect(String connectionId) {
		this.client.connection().connect();
		settle();
		receive(FakeTransportFactory.connected(connectionId, "k1"));
	}

	private void attached(long flags) {
		connect("c1");
		this.channel.attach();
		settle();
		receive("{\"action\":11,\"channel\":\"room\",\"flags\":" + flags + "}");
	}

	private void subscribe() {
		this.presence.subscribe(this.events::add);
		settle();
	}

	private List<String> members() {
		CompletableFuture<List<PresenceMessage>> members = this.presence.get();
		settle();
		assertThat(members).isDone();
		return members.join().stream().map(PresenceMessage::clientId).toList();
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

	private List<ProtocolMessage> sent(Action action) {
		return this.transports.last()
			.sent()
			.stream()
			.map(this.codec::decode)
			.filter((message) -> message.getAction() == action)
			.toList();
	}

	/** The channel requests and presence messages sent on the current transport. */
	private List<Action> sentActions() {
		return this.transports.last()
			.sent()
			.stream()
			.map(this.codec::decode)
			.map(ProtocolMessage::getAction)
			.filter((action) -> action == Action.ATTACH || action == Action.DETACH || action == Action.PRESENCE)
			.toList();
	}

	private static String connectedFrame(String connectionId, String clientId) {
		return "{\"action\":4,\"connectionId\":\"" + connectionId + "\",\"connectionDetails\":{\"connectionKey\":\""
				+ connectionId + "!key\",\"clientId\":\"" + clientId
				+ "\",\"maxIdleInterval\":15000,\"connectionStateTtl\":120000}}";
	}

	private static String presence(String... members) {
		return "{\"action\":14,\"channel\":\"room\",\"presence\":[" + String.join(",", members) + "]}";
	}

	private static String sync(String channelSerial, String... members) {
		return "{\"action\":16,\"channel\":\"room\""
				+ ((channelSerial != null) ? ",\"channelSerial\":\"" + channelSerial + "\"" : "") + ",\"presence\":["
				+ String.join(",", members) + "]}";
	}

	/** A presence message whose connection id is the first part of its id. */
	private static String member(int action, String clientId, String id, String data) {
		return member(action, clientId, id.substring(0, id.indexOf(':')), id, data, 1000);
	}

	private static String member(int action, String clientId, String connectionId, String id, String data,
			long timestamp) {
		return "{\"action\":" + action + ",\"clientId\":\"" + clientId + "\",\"connectionId\":\"" + connectionId
				+ "\",\"id\":\"" + id + "\",\"timestamp\":" + timestamp
				+ ((data != null) ? ",\"data\":\"" + data + "\"" : "") + "}";
	}

	private ErrorInfo failureOf(CompletableFuture<?> future) {
		settle();
		assertThat(future).isCompletedExceptionally();
		Throwable failure = catchThrowable(future::join);
		return ((RealtimeException) failure.getCause()).getErrorInfo();
	}

}
