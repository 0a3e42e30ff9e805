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

package dev.realtime.test.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.PresenceAction;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the presence sets of {@link RealtimeServer}, driven frame by frame by a raw
 * WebSocket client.
 *
 * @author Realtime team
 */
class RealtimeServerPresenceTests {

	private static final String KEY = "app.key:secret";

	private static final AtomicInteger channelCount = new AtomicInteger();

	@RegisterExtension
	static RealtimeServerExtension extension = RealtimeServerExtension.builder()
		.key(KEY)
		.maxIdleInterval(Duration.ofSeconds(1))
		.connectionStateTtl(Duration.ofMillis(500))
		.server((server) -> server.presenceSyncPageSize(2))
		.build();

	private final List<RawClient> clients = new ArrayList<>();

	private final Map<RawClient, String> connectionIds = new HashMap<>();

	private final String channel = "presence-" + channelCount.incrementAndGet();

	@AfterEach
	void closeClients() {
		this.clients.forEach(RawClient::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> server().connectionCount() == 0);
	}

	@Test
	void anEnterIsAcknowledgedAndSentToEveryAttachedConnectionTheMembersOwnIncluded() {
		RawClient alice = connected("alice");
		String aliceId = connectionIdOf(alice);
		RawClient watcher = connected(null);
		attach(alice);
		attach(watcher);
		alice.send(presence(0, enter(null, "hello")));
		List<ProtocolMessage> toAlice = alice.sync();
		assertThat(toAlice).extracting(ProtocolMessage::getAction).containsExactly(Action.PRESENCE, Action.ACK);
		ProtocolMessage toWatcher = only(watcher.sync());
		assertThat(toWatcher.getAction()).isEqualTo(Action.PRESENCE);
		assertThat(toWatcher.getChannelSerial()).isNotBlank();
		assertThat(toWatcher.getPresence()).singleElement().satisfies((enter) -> {
			assertThat(enter.action()).isEqualTo(PresenceAction.ENTER.code());
			assertThat(enter.id()).isEqualTo(aliceId + ":0:0");
			assertThat(enter.clientId()).isEqualTo("alice");
			assertThat(enter.connectionId()).isEqualTo(aliceId);
			assertThat(enter.data()).isEqualTo("hello");
			assertThat(enter.timestamp()).isPositive();
		});
		assertThat(server().presenceMembers(this.channel)).singleElement()
			.satisfies((member) -> assertThat(member.action()).isEqualTo(PresenceAction.PRESENT.code()));
	}

	@Test
	void attachingToAChannelWithMembersGivesHasPresenceAndTheMembersInSyncPages() {
		RawClient anyone = connected("*");
		for (int i = 0; i < 5; i++) {
			anyone.send(presence(i, enter("member-" + i, null)));
		}
		assertThat(anyone.sync()).extracting(ProtocolMessage::getAction).containsOnly(Action.ACK);
		RawClient watcher = connected(null);
		ProtocolMessage attached = attach(watcher);
		assertThat(attached.hasFlag(Flags.HAS_PRESENCE)).isTrue();
		List<ProtocolMessage> pages = watcher.sync();
		assertThat(pages).extracting(ProtocolMessage::getAction).containsOnly(Action.SYNC);
		assertThat(pages).extracting((page) -> page.getPresence().size()).containsExactly(2, 2, 1);
		String syncId = pages.get(0).getChannelSerial().split(":")[0];
		assertThat(pages).extracting(ProtocolMessage::getChannelSerial)
			.containsExactly(syncId + ":2", syncId + ":4", syncId + ":");
		assertThat(pages).flatExtracting(ProtocolMessage::getPresence)
			.extracting(WirePresenceMessage::action, WirePresenceMessage::clientId)
			.containsExactly(tuple(1, "member-0"), tuple(1, "member-1"), tuple(1, "member-2"), tuple(1, "member-3"),
					tuple(1, "member-4"));
	}

	@Test
	void attachingToAChannelWithoutMembersGivesNeitherHasPresenceNorASync() {
		RawClient watcher = connected(null);
		assertThat(attach(watcher).hasFlag(Flags.HAS_PRESENCE)).isFalse();
		assertThat(watcher.sync()).isEmpty();
	}

	@Test
	void anUpdateAndALeaveWithoutDataCarryTheMembersData() {
		RawClient alice = connected("alice");
		RawClient watcher = connected(null);
		attach(watcher);
		alice.send(presence(0, enter(null, "first")));
		alice.send(presence(1, new WirePresenceMessage(4, null, null, null, "second", null, null)));
		alice.send(presence(2, new WirePresenceMessage(3, null, null, null, null, null, null)));
		alice.sync();
		assertThat(watcher.sync()).flatExtracting(ProtocolMessage::getPresence)
			.extracting(WirePresenceMessage::action, WirePresenceMessage::data)
			.containsExactly(tuple(2, "first"), tuple(4, "second"), tuple(3, "second"));
		assertThat(server().presenceMembers(this.channel)).isEmpty();
	}

	@Test
	void aLeaveOfAClientThatIsNotPresentIsAcknowledgedAndChangesNothing() {
		RawClient alice = connected("alice");
		RawClient watcher = connected(null);
		attach(watcher);
		alice.send(presence(0, new WirePresenceMessage(3, null, null, null, null, null, null)));
		assertThat(alice.sync()).extracting(ProtocolMessage::getAction).containsExactly(Action.ACK);
		assertThat(watcher.sync()).isEmpty();
	}

	@Test
	void aConnectionWithoutAClientIdCannotEnter() {
		RawClient anonymous = connected(null);
		anonymous.send(presence(0, enter(null, null)));
		ProtocolMessage nack = only(anonymous.sync());
		assertThat(nack.getAction()).isEqualTo(Action.NACK);
		assertThat(nack.getError().code()).isEqualTo(40012);
		assertThat(server().presenceMembers(this.channel)).isEmpty();
	}

	@Test
	void aConnectionCannotEnterAsAnotherClient() {
		RawClient alice = connected("alice");
		alice.send(presence(0, enter("bob", null)));
		ProtocolMessage nack = only(alice.sync());
		assertThat(nack.getAction()).isEqualTo(Action.NACK);
		assertThat(nack.getError().code()).isEqualTo(40012);
		assertThat(nack.getError().message()).contains("'bob'").contains("'alice'");
	}

	@Test
	void aResentPresenceIsAcknowledgedAgainButAppliedOnce() {
		RawClient alice = connected("alice");
		RawClient watcher = connected(null);
		attach(watcher);
		alice.send(presence(0, enter(null, "once")));
		alice.send(presence(0, enter(null, "once")));
		assertThat(alice.sync()).extracting(ProtocolMessage::getAction).containsExactly(Action.ACK, Action.ACK);
		assertThat(watcher.sync()).hasSize(1);
	}

	@Test
	void aRefusalFaultRefusesPresenceToo() {
		RawClient alice = connected("alice");
		server().nackNextPublishes(1, new ErrorInfo(40160, 401, "not allowed"));
		alice.send(presence(0, enter(null, null)));
		ProtocolMessage nack = only(alice.sync());
		assertThat(nack.getAction()).isEqualTo(Action.NACK);
		assertThat(nack.getError().code()).isEqualTo(40160);
	}

	@Test
	void membersLeaveWithASynthesizedLeaveWhenTheirConnectionCloses() {
		RawClient alice = connected("alice");
		String aliceId = connectionIdOf(alice);
		RawClient watcher = connected(null);
		attach(watcher);
		alice.send(presence(0, enter(null, "bye")));
		alice.sync();
		watcher.sync();
		alice.send(new ProtocolMessage(Action.CLOSE));
		alice.awaitClosed();
		ProtocolMessage leave = watcher.nextIgnoringHeartbeats();
		assertThat(leave.getAction()).isEqualTo(Action.PRESENCE);
		assertThat(leave.getPresence()).singleElement().satisfies((message) -> {
			assertThat(message.action()).isEqualTo(PresenceAction.LEAVE.code());
			assertThat(message.clientId()).isEqualTo("alice");
			assertThat(message.connectionId()).isEqualTo(aliceId);
			assertThat(message.data()).isEqualTo("bye");
			assertThat(message.id()).doesNotStartWith(aliceId);
		});
		assertThat(server().presenceMembers(this.channel)).isEmpty();
	}

	@Test
	void membersLeaveWhenTheirConnectionIsNotResumedWithinTheTtl() {
		RawClient alice = connected("alice");
		RawClient watcher = connected(null);
		attach(watcher);
		alice.send(presence(0, enter(null, null)));
		alice.sync();
		watcher.sync();
		alice.close();
		ProtocolMessage leave = watcher.nextIgnoringHeartbeats();
		assertThat(leave.getPresence()).extracting(WirePresenceMessage::action, WirePresenceMessage::clientId)
			.containsExactly(tuple(3, "alice"));
		assertThat(server().presenceMembers(this.channel)).isEmpty();
	}

	@Test
	void aResumedAttachmentGetsThePresenceChangesItMissed() {
		RawClient watcher = connected(null);
		String serial = attach(watcher).getChannelSerial();
		watcher.close();
		await().until(() -> server().connectionCount() == 0);
		RawClient alice = connected("alice");
		alice.send(presence(0, enter(null, null)));
		alice.sync();
		RawClient again = connected(null);
		again.send(new ProtocolMessage(Action.ATTACH).setChannel(this.channel).setChannelSerial(serial));
		List<ProtocolMessage> received = again.sync();
		assertThat(received).extracting(ProtocolMessage::getAction)
			.containsExactly(Action.ATTACHED, Action.PRESENCE, Action.SYNC);
		assertThat(received.get(0).hasFlag(Flags.RESUMED | Flags.HAS_PRESENCE)).isTrue();
	}

	@Test
	void presenceIsNotPartOfTheMessageHistory() {
		RawClient alice = connected("alice");
		alice.send(presence(0, enter(null, null)));
		alice.sync();
		assertThat(server().channelHistory(this.channel)).isEmpty();
	}

	private static RealtimeServer server() {
		return extension.server();
	}

	private RawClient connected(@Nullable String clientId) {
		Map<String, String> query = new LinkedHashMap<>(Map.of("key", KEY, "v", "6", "format", "json"));
		if (clientId != null) {
			query.put("clientId", clientId);
		}
		RawClient client = RawClient.connect(server(), query);
		this.clients.add(client);
		this.connectionIds.put(client, client.connected().getConnectionId());
		return client;
	}

	private String connectionIdOf(RawClient client) {
		return this.connectionIds.get(client);
	}

	private ProtocolMessage attach(RawClient client) {
		client.send(new ProtocolMessage(Action.ATTACH).setChannel(this.channel));
		ProtocolMessage attached = client.nextIgnoringHeartbeats();
		assertThat(attached.getAction()).as("reply to ATTACH: %s", attached).isEqualTo(Action.ATTACHED);
		return attached;
	}

	private ProtocolMessage presence(long msgSerial, WirePresenceMessage message) {
		return new ProtocolMessage(Action.PRESENCE).setChannel(this.channel)
			.setMsgSerial(msgSerial)
			.setPresence(List.of(message));
	}

	private static WirePresenceMessage enter(@Nullable String clientId, @Nullable Object data) {
		return new WirePresenceMessage(PresenceAction.ENTER.code(), null, clientId, null, data, null, null);
	}

	private static ProtocolMessage only(List<ProtocolMessage> messages) {
		assertThat(messages).hasSize(1);
		return messages.get(0);
	}

}
