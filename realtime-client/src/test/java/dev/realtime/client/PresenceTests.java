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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
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
import static org.assertj.core.api.Assertions.tuple;

/**
 * Presence on virtual time with a fake transport whose server answers only when a test
 * says so. Clause IDs refer to the Ably features specification.
 */
class PresenceTests {

	private final List<PresenceMessage> events = new ArrayList<>();

	private VirtualClient server;

	private RealtimeChannel channel;

	private RealtimePresence presence;

	@BeforeEach
	void createClient() {
		createClient((options) -> options.clientId("alice"));
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer);
		this.channel = this.server.client().channel("room");
		this.presence = this.channel.presence();
	}

	@Nested
	class Entering {

		@Test
		void enterSendsAPresenceMessageWithoutClientIdAndCompletesOnAck() {
			// RTP8a, RTP8c
			attached(0);
			CompletableFuture<Void> entered = presence.enter("hello");
			server.settle();
			ProtocolMessage sent = server.lastSent();
			assertThat(sent.getAction()).isEqualTo(Action.PRESENCE);
			assertThat(sent.getChannel()).isEqualTo("room");
			assertThat(sent.getMsgSerial()).isZero();
			assertThat(sent.getPresence()).singleElement().satisfies((message) -> {
				assertThat(message.action()).isEqualTo(ENTER.code());
				assertThat(message.clientId()).isNull();
				assertThat(message.data()).isEqualTo("hello");
			});
			assertThat(entered).isNotDone();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void updateAndLeaveSendTheirActionsAndShareTheMessageSerials() {
			// RTP9d, RTP10c
			attached(0);
			channel.publish("chat", "hi");
			presence.update(Map.of("mood", "happy"));
			presence.leave(null);
			server.settle();
			List<ProtocolMessage> sent = server.sent(Action.PRESENCE);
			assertThat(sent).extracting(ProtocolMessage::getMsgSerial).containsExactly(1L, 2L);
			assertThat(sent).extracting((message) -> message.getPresence().get(0))
				.extracting(WirePresenceMessage::action, WirePresenceMessage::data, WirePresenceMessage::encoding)
				.containsExactly(tuple(UPDATE.code(), "{\"mood\":\"happy\"}", "json"), tuple(LEAVE.code(), null, null));
		}

		@Test
		void enterOnAnInitializedChannelAttachesItAndIsSentOnceAttached() {
			// RTP8d, RTP16b, RTP5b
			server.connect("c1", "k1");
			CompletableFuture<Void> entered = presence.enter("hello");
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH, Action.PRESENCE))
				.containsExactly(Action.ATTACH);
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.sentActions(Action.ATTACH, Action.DETACH, Action.PRESENCE)).containsExactly(Action.ATTACH,
					Action.PRESENCE);
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void enterOnADetachedChannelAttachesIt() {
			attached(0);
			channel.detach();
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"room\"}");
			assertThat(channel.state()).isEqualTo(DETACHED);
			presence.enter(null);
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.lastSent().getAction()).isEqualTo(Action.PRESENCE);
		}

		@Test
		void enterOnAFailedChannelFails() {
			// RTP8g
			attached(0);
			server.receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			ErrorInfo failure = failureOf(presence.enter(null));
			assertThat(failure.code()).isEqualTo(ErrorInfo.CHANNEL_OPERATION_FAILED);
			assertThat(failure.message()).contains("FAILED");
			assertThat(server.sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void enterOnASuspendedChannelFails() {
			// RTP16c
			server.connect("c1", "k1");
			channel.attach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
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
			assertThat(server.sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void enterWithoutAClientIdBeforeConnectingFailsOnceConnectedWithoutOne() {
			createClient(UnaryOperator.identity());
			server.connection().connect();
			CompletableFuture<Void> entered = presence.enter("hello");
			server.settle();
			assertThat(entered).isNotDone();
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(failureOf(entered).code()).isEqualTo(40012);
			assertThat(server.sent(Action.PRESENCE)).isEmpty();
		}

		@Test
		void theClientIdTheServerGrantsIsEnough() {
			createClient(UnaryOperator.identity());
			server.connection().connect();
			server.settle();
			server.receive(connectedFrame("c1", "bob"));
			channel.attach();
			server.settle();
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			CompletableFuture<Void> entered = presence.enter(null);
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(entered).isCompleted();
		}

		@Test
		void aNackFailsTheEnterWithTheServersError() {
			// RTP8h
			attached(0);
			CompletableFuture<Void> entered = presence.enter(null);
			server.settle();
			server.receive("{\"action\":2,\"msgSerial\":0,\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no presence capability\"}}");
			assertThat(failureOf(entered)).isEqualTo(new ErrorInfo(40160, 401, "no presence capability"));
		}

		@Test
		void anEnterWaitingForTheAttachFailsWhenTheChannelFails() {
			// RTP5a
			server.connect("c1", "k1");
			CompletableFuture<Void> entered = presence.enter(null);
			server.settle();
			server.receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(failureOf(entered).code()).isEqualTo(40160);
		}

		@Test
		void anEnterWaitingForTheAttachFailsWhenTheChannelIsSuspended() {
			// RTP5f
			server.connect("c1", "k1");
			CompletableFuture<Void> entered = presence.enter(null);
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			assertThat(failureOf(entered).code()).isEqualTo(ErrorInfo.TIMEOUT);
		}

		@Test
		void anEnterFailsWhenTheConnectionCannotAttachTheChannel() {
			server.connect("c1", "k1");
			server.connection().close();
			server.settle();
			server.receive("{\"action\":8}");
			ErrorInfo failure = failureOf(presence.enter(null));
			assertThat(failure.message()).contains("Cannot attach channel 'room' while the connection is CLOSED");
		}

		@Test
		void anEnterWhileTheConnectionIsDisconnectedIsSentOnTheNextTransport() {
			// RTP16a
			attached(0);
			server.transport().drop("reset");
			server.settle();
			CompletableFuture<Void> entered = presence.enter("hello");
			server.settle();
			server.advance(Duration.ofSeconds(15));
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.sent(Action.PRESENCE)).hasSize(1);
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
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
			server.settle();
			assertThat(members).isCompletedWithValue(List.of());
		}

		@Test
		void attachedWithHasPresenceWaitsForTheSyncToEnd() {
			// RTP1, RTP18a, RTP18b, RTP11a
			attached(1);
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			server.settle();
			server.receive(sync("seq1:cursor1", member(1, "a", "ca:0:0", "A")));
			assertThat(members).isNotDone();
			server.receive(sync("seq1:", member(1, "b", "cb:0:0", "B")));
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
			server.settle();
			server.receive(sync(null, member(1, "a", "ca:0:0", null)));
			assertThat(members.join()).extracting(PresenceMessage::clientId).containsExactly("a");
		}

		@Test
		void membersNotSeenInACompletedSyncLeave() {
			// RTP19
			attached(0);
			subscribe();
			server.receive(presence(member(2, "a", "ca:0:0", "A"), member(2, "b", "cb:0:0", "B")));
			server.advance(Duration.ofSeconds(3));
			server.receive(sync("s1:", member(1, "a", "ca:0:0", "A")));
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId)
				.containsExactly(tuple(ENTER, "a"), tuple(ENTER, "b"), tuple(LEAVE, "b"));
			PresenceMessage leave = events.get(2);
			assertThat(leave.id()).isNull();
			assertThat(leave.connectionId()).isEqualTo("cb");
			assertThat(leave.data()).isEqualTo("B");
			assertThat(leave.timestamp()).isEqualTo(server.now());
			assertThat(members()).containsExactly("a");
		}

		@Test
		void aNewSequenceIdStartsTheSyncAfresh() {
			// RTP18a
			attached(0);
			server.receive(presence(member(2, "x", "cx:0:0", null), member(2, "y", "cy:0:0", null)));
			server.receive(sync("s2:c1", member(1, "x", "cx:0:0", null)));
			server.receive(sync("s3:c1", member(1, "y", "cy:0:0", null)));
			server.receive(sync("s3:", new String[0]));
			assertThat(members()).as("x was seen only in the sync that was discarded").containsExactly("y");
		}

		@Test
		void membersPresentBeforeAndAfterASyncEmitNothing() {
			attached(0);
			server.receive(presence(member(2, "a", "ca:0:0", null)));
			subscribe();
			server.receive(sync("s1:", member(1, "a", "ca:0:0", null)));
			assertThat(events).isEmpty();
			assertThat(members()).containsExactly("a");
		}

		@Test
		void aLeaveDuringASyncIsHeldAsAbsentSoAnOlderPresentCannotBringTheMemberBack() {
			// RTP2h2
			attached(1);
			subscribe();
			server.receive(sync("s1:c1", member(1, "a", "ca:5:0", null)));
			server.receive(presence(member(3, "a", "ca:6:0", null), member(3, "b", "cb:3:0", null)));
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			server.settle();
			server.receive(sync("s1:", member(1, "b", "cb:1:0", null)));
			assertThat(members.join()).isEmpty();
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId)
				.as("a left while present; b was never present; no LEAVE is synthesized for either")
				.containsExactly(tuple(PRESENT, "a"), tuple(LEAVE, "a"));
		}

		@Test
		void attachedAgainWithoutHasPresenceLeavesEveryMember() {
			// RTP19a
			attached(0);
			server.receive(presence(member(2, "a", "ca:0:0", "A")));
			subscribe();
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(events).extracting(PresenceMessage::action, PresenceMessage::clientId, PresenceMessage::id)
				.containsExactly(tuple(LEAVE, "a", null));
			assertThat(members()).isEmpty();
		}

		@Test
		void aResumedAttachedLeavesTheMembersAlone() {
			attached(0);
			server.receive(presence(member(2, "a", "ca:0:0", null)));
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			assertThat(members()).containsExactly("a");
		}

		@Test
		void newnessIsByMessageSerialThenIndex() {
			// RTP2a, RTP2b2
			attached(0);
			subscribe();
			server.receive(presence(member(2, "a", "ca:5:0", "v1")));
			server.receive(presence(member(4, "a", "ca:4:9", "stale")));
			server.receive(presence(member(4, "a", "ca:5:0", "same")));
			server.receive(presence(member(4, "a", "ca:5:1", "v2")));
			server.receive(presence(member(4, "a", "ca:10:0", "v3")));
			assertThat(events).extracting(PresenceMessage::data).containsExactly("v1", "v2", "v3");
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			server.settle();
			assertThat(members.join()).extracting(PresenceMessage::data).containsExactly("v3");
		}

		@Test
		void aSynthesizedLeaveIsComparedByTimestamp() {
			// RTP2b1, RTP2b1a
			attached(0);
			server.receive(presence(member(2, "a", "ca", "ca:5:0", null, 1000)));
			server.receive(presence(member(3, "a", "ca", "synthesized:0", null, 999)));
			assertThat(members()).containsExactly("a");
			server.receive(presence(member(3, "a", "ca", "synthesized:1", null, 1000)));
			assertThat(members()).isEmpty();
		}

		@Test
		void presenceMessagesMoveTheChannelSerialAndSyncMessagesDoNot() {
			// RTL15b
			attached(0);
			server.receive("{\"action\":14,\"channel\":\"room\",\"channelSerial\":\"p5\",\"presence\":["
					+ member(2, "a", "ca:0:0", null) + "]}");
			server.receive(sync("s1:", member(1, "a", "ca:0:0", null)));
			server.transport().drop("reset");
			server.settle();
			server.advance(Duration.ofSeconds(15));
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.lastSent().getAction()).isEqualTo(Action.ATTACH);
			assertThat(server.lastSent().getChannelSerial()).isEqualTo("p5");
		}

		@Test
		void whatAPresenceMessageLeavesOutComesFromItsProtocolMessage() {
			// TP3a, TP3d, TP3g
			attached(0);
			subscribe();
			server.receive("{\"action\":14,\"channel\":\"room\",\"id\":\"ca:7\",\"connectionId\":\"ca\","
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
			server.receive("{\"action\":14,\"channel\":\"room\",\"presence\":[{\"action\":2,\"clientId\":\"a\","
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
			server.receive("{\"action\":14,\"channel\":\"room\",\"presence\":[{\"action\":42,\"clientId\":\"a\","
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
			server.connect("c1", "k1");
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			assertThat(members).isNotDone();
			server.receive(sync("s:", member(1, "a", "ca:0:0", null)));
			assertThat(members.join()).extracting(PresenceMessage::clientId).containsExactly("a");
		}

		@Test
		void getOnAFailedChannelFails() {
			// RTL33c
			attached(0);
			server.receive("{\"action\":9,\"channel\":\"room\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no\"}}");
			assertThat(failureOf(presence.get()).code()).isEqualTo(ErrorInfo.CHANNEL_OPERATION_FAILED);
		}

		@Test
		void getOnASuspendedChannelFailsWith91005() {
			// RTP11d
			server.connect("c1", "k1");
			channel.attach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			ErrorInfo failure = failureOf(presence.get());
			assertThat(failure.code()).isEqualTo(91005);
			assertThat(failure.message()).contains("out of date");
		}

		@Test
		void aGetWaitingForASyncFailsWhenTheChannelDetachesAndTheMembersAreForgotten() {
			// RTP5a
			attached(1);
			server.receive(sync("s:c", member(1, "a", "ca:0:0", null)));
			CompletableFuture<List<PresenceMessage>> members = presence.get();
			channel.detach();
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"room\"}");
			assertThat(members).isCompletedExceptionally();
			channel.attach();
			server.settle();
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			server.receive(sync("s2:", new String[0]));
			assertThat(members()).isEmpty();
		}

		@Test
		void membersSurviveASuspendedChannel() {
			// RTP5f
			attached(0);
			server.receive(presence(member(2, "a", "ca:0:0", null)));
			subscribe();
			server.receive("{\"action\":13,\"channel\":\"room\"}");
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			server.advance(Duration.ofSeconds(15));
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":1}");
			server.receive(sync("s:", member(1, "a", "ca:0:0", null), member(1, "b", "cb:0:0", null)));
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
			server.connect("c1", "k1");
			presence.subscribe(events::add);
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
		}

		@Test
		void subscribingLeavesTheChannelAloneWhenAttachOnSubscribeIsOff() {
			createClient((options) -> options.attachOnSubscribe(false));
			server.connect("c1", "k1");
			presence.subscribe(events::add);
			server.settle();
			assertThat(channel.state()).isEqualTo(ChannelState.INITIALIZED);
		}

		@Test
		void aSubscriberThatThrowsStaysSubscribedAndOthersStillHear() {
			attached(0);
			presence.subscribe((message) -> {
				throw new IllegalStateException("boom");
			});
			subscribe();
			server.receive(presence(member(2, "a", "ca:0:0", null)));
			server.receive(presence(member(2, "b", "cb:0:0", null)));
			assertThat(events).hasSize(2);
		}

		@Test
		void anUnsubscribedSubscriberHearsNothingMore() {
			attached(0);
			Subscription subscription = presence.subscribe(events::add);
			server.receive(presence(member(2, "a", "ca:0:0", null)));
			subscription.unsubscribe();
			server.receive(presence(member(2, "b", "cb:0:0", null)));
			assertThat(events).extracting(PresenceMessage::clientId).containsExactly("a");
		}

	}

	@Nested
	class EnteringAgain {

		@Test
		void ownMembersAreEnteredAgainWithoutTheirIdAfterAnAttachOnANewConnection() {
			// RTP17i, RTP17g, RTP17g1
			enteredAsAlice();
			server.transport().drop("reset");
			server.settle();
			server.advance(Duration.ofSeconds(15));
			server.receive(FakeTransportFactory.connected("c2", "k2"));
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.lastSent().getAction()).isEqualTo(Action.PRESENCE);
			assertThat(server.lastSent().getPresence()).singleElement().satisfies((enter) -> {
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
			server.receive("{\"action\":13,\"channel\":\"room\"}");
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.lastSent().getPresence()).singleElement()
				.satisfies((enter) -> assertThat(enter.id()).isEqualTo("c1:0:0"));
		}

		@Test
		void aResumedAttachEntersNobodyAgain() {
			// RTP17i
			enteredAsAlice();
			server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":4}");
			assertThat(server.sent(Action.PRESENCE)).hasSize(1);
		}

		@Test
		void aMemberThatLeftIsNotEnteredAgain() {
			// RTP17b
			enteredAsAlice();
			server.receive(presence(member(3, "alice", "c1:1:0", null)));
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.sent(Action.PRESENCE)).hasSize(1);
		}

		@Test
		void aSynthesizedLeaveOfAnOwnMemberDoesNotStopItBeingEnteredAgain() {
			// RTP17b
			enteredAsAlice();
			server.receive(presence(member(3, "alice", "c1", "server:0", null, 2000)));
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.sent(Action.PRESENCE)).hasSize(2);
		}

		@Test
		void aRefusedEnterIsReportedAsAnUpdateOfTheChannelWith91004() {
			// RTP17e
			enteredAsAlice();
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			server.channelChanges().clear();
			ErrorInfo refusal = new ErrorInfo(40160, 401, "no presence capability");
			server.receive("{\"action\":2,\"msgSerial\":1,\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"no presence capability\"}}");
			assertThat(server.channelChanges()).singleElement().satisfies((change) -> {
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
			server.settle();
			server.receive("{\"action\":13,\"channel\":\"room\"}");
			channel.attach();
			server.settle();
			server.receive("{\"action\":11,\"channel\":\"room\"}");
			assertThat(server.sent(Action.PRESENCE)).as("only the first enter").hasSize(1);
		}

		private void enteredAsAlice() {
			attached(0);
			presence.enter("hello");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			server.receive(presence(member(2, "alice", "c1:0:0", "hello")));
		}

	}

	private void attached(long flags) {
		this.server.connect("c1", "k1");
		this.channel.attach();
		this.server.settle();
		this.server.receive("{\"action\":11,\"channel\":\"room\",\"flags\":" + flags + "}");
	}

	private void subscribe() {
		this.presence.subscribe(this.events::add);
		this.server.settle();
	}

	private List<String> members() {
		CompletableFuture<List<PresenceMessage>> members = this.presence.get();
		this.server.settle();
		assertThat(members).isDone();
		return members.join().stream().map(PresenceMessage::clientId).toList();
	}

	private ErrorInfo failureOf(CompletableFuture<?> future) {
		this.server.settle();
		return VirtualClient.failureOf(future);
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

}
