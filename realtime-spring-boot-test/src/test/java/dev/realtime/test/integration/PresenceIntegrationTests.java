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

package dev.realtime.test.integration;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.ChannelStateChange;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.PresenceAction;
import dev.realtime.client.PresenceMessage;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimePresence;
import dev.realtime.test.junit.RealtimeServerExtension;
import dev.realtime.test.server.AblyClientOptions;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Presence between real clients through the embedded server, with TCP proxies in the
 * path, and with the official Ably Java SDK.
 */
class PresenceIntegrationTests {

	private static final String TOKEN = "presence-token";

	private static final AtomicInteger channelCount = new AtomicInteger();

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.token(TOKEN)
		.maxIdleInterval(Duration.ofMillis(500))
		.server((builder) -> builder.presenceSyncPageSize(2))
		.build();

	private final String channel = "presence-" + channelCount.incrementAndGet();

	private TestClients clients;

	private RealtimeClient alice;

	private RealtimeClient bob;

	private final List<PresenceMessage> seenByBob = new CopyOnWriteArrayList<>();

	@BeforeEach
	void connectClients() throws IOException {
		this.clients = new TestClients(server.port());
		this.alice = client("alice");
		this.bob = client("bob");
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	@Test
	void aMemberOneClientEntersIsSeenByAnotherBySubscribingAndInGet() {
		RealtimePresence watched = this.bob.channel(this.channel).presence();
		watched.subscribe(this.seenByBob::add);
		this.bob.channel(this.channel).attach().join();
		this.alice.channel(this.channel).presence().enter("hello").join();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.seenByBob.isEmpty());
		assertThat(this.seenByBob).singleElement().satisfies((enter) -> {
			assertThat(enter.action()).isEqualTo(PresenceAction.ENTER);
			assertThat(enter.clientId()).isEqualTo("alice");
			assertThat(enter.connectionId()).isEqualTo(this.alice.connection().id());
			assertThat(enter.data()).isEqualTo("hello");
			assertThat(enter.timestamp()).isNotNull();
		});
		assertThat(watched.get().join())
			.extracting(PresenceMessage::action, PresenceMessage::clientId, PresenceMessage::data)
			.containsExactly(tuple(PresenceAction.PRESENT, "alice", "hello"));
	}

	@Test
	void aClientThatAttachesLaterGetsTheMembersFromASyncOfSeveralPages() {
		RealtimeClient carol = client("carol");
		for (RealtimeClient member : List.of(this.alice, this.bob, carol)) {
			member.channel(this.channel).presence().enter(null).join();
		}
		RealtimeClient late = client("late");
		assertThat(late.channel(this.channel).presence().get().join()).extracting(PresenceMessage::clientId)
			.containsExactlyInAnyOrder("alice", "bob", "carol");
	}

	@Test
	void updateAndLeaveReachTheOtherClient() {
		RealtimePresence watched = this.bob.channel(this.channel).presence();
		watched.subscribe(this.seenByBob::add);
		this.bob.channel(this.channel).attach().join();
		RealtimePresence own = this.alice.channel(this.channel).presence();
		own.enter("one").join();
		own.update(List.of(1, 2)).join();
		own.leave(null).join();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.seenByBob.size() == 3);
		assertThat(this.seenByBob).extracting(PresenceMessage::action, PresenceMessage::data)
			.containsExactly(tuple(PresenceAction.ENTER, "one"), tuple(PresenceAction.UPDATE, List.of(1, 2)),
					tuple(PresenceAction.LEAVE, List.of(1, 2)));
		assertThat(watched.get().join()).isEmpty();
	}

	@Test
	void aMemberLeavesWhenItsClientCloses() {
		RealtimePresence watched = this.bob.channel(this.channel).presence();
		watched.subscribe(this.seenByBob::add);
		this.bob.channel(this.channel).attach().join();
		this.alice.channel(this.channel).presence().enter(null).join();
		this.alice.connection().close().join();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.seenByBob.size() == 2);
		assertThat(this.seenByBob).extracting(PresenceMessage::action, PresenceMessage::clientId)
			.containsExactly(tuple(PresenceAction.ENTER, "alice"), tuple(PresenceAction.LEAVE, "alice"));
		assertThat(watched.get().join()).isEmpty();
	}

	@Test
	void aMemberIsEnteredAgainWhenTheServerLostItsState() {
		this.alice.channel(this.channel).presence().enter("still here").join();
		String before = this.alice.connection().id();
		server.server().restart();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.alice.connection().state() == ConnectionState.CONNECTED
					&& !before.equals(this.alice.connection().id())
					&& server.server().presenceMembers(this.channel).size() == 1);
		assertThat(server.server().presenceMembers(this.channel)).singleElement().satisfies((member) -> {
			assertThat(member.clientId()).isEqualTo("alice");
			assertThat(member.connectionId()).isEqualTo(this.alice.connection().id());
			assertThat(member.data()).isEqualTo("still here");
		});
	}

	@Test
	void aRefusedReEntryIsReportedOnTheChannel() {
		List<ChannelStateChange> changes = new CopyOnWriteArrayList<>();
		this.alice.channel(this.channel).addListener(changes::add);
		this.alice.channel(this.channel).presence().enter(null).join();
		server.server().nackNextPublishes(1, new ErrorInfo(40160, 401, "no presence capability"));
		server.server().restart();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> changes.stream().anyMatch((change) -> change.isUpdate() && change.reason() != null));
		ChannelStateChange update = changes.stream().filter(ChannelStateChange::isUpdate).reduce((a, b) -> b).get();
		assertThat(update.reason().code()).isEqualTo(91004);
		assertThat(update.reason().cause()).isEqualTo(new ErrorInfo(40160, 401, "no presence capability"));
		assertThat(server.server().presenceMembers(this.channel)).isEmpty();
	}

	@Nested
	class AblySdkInterop {

		private AblyRealtime ably;

		@AfterEach
		void closeAbly() {
			if (this.ably != null) {
				this.ably.close();
			}
		}

		@Test
		void thisClientSeesTheMemberTheAblySdkEnters() throws AblyException {
			RealtimePresence watched = bob.channel(channel).presence();
			watched.subscribe(seenByBob::add);
			bob.channel(channel).attach().join();
			this.ably = ably("ably-user");
			CompletableFuture<Void> entered = new CompletableFuture<>();
			this.ably.channels.get(channel).presence.enter("from ably", completing(entered));
			await().atMost(Duration.ofSeconds(10)).until(entered::isDone);
			assertThat(entered).isCompleted();
			await().atMost(Duration.ofSeconds(10)).until(() -> !seenByBob.isEmpty());
			assertThat(seenByBob).extracting(PresenceMessage::action, PresenceMessage::clientId, PresenceMessage::data)
				.containsExactly(tuple(PresenceAction.ENTER, "ably-user", "from ably"));
			assertThat(watched.get().join()).extracting(PresenceMessage::clientId, PresenceMessage::connectionId)
				.containsExactly(tuple("ably-user", this.ably.connection.id));
		}

		@Test
		void theAblySdkSeesTheMemberThisClientEnters() throws AblyException {
			alice.channel(channel).presence().enter("from us").join();
			this.ably = ably("ably-user");
			io.ably.lib.realtime.Channel ablyChannel = this.ably.channels.get(channel);
			List<io.ably.lib.types.PresenceMessage> seenByAbly = new CopyOnWriteArrayList<>();
			ablyChannel.presence.subscribe(seenByAbly::add);
			io.ably.lib.types.PresenceMessage[] members = ablyChannel.presence.get(true);
			assertThat(members).extracting((member) -> member.clientId, (member) -> member.data)
				.containsExactly(tuple("alice", "from us"));
			alice.channel(channel).presence().leave(null).join();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> seenByAbly.stream()
					.anyMatch((message) -> message.action == io.ably.lib.types.PresenceMessage.Action.leave));
			assertThat(Arrays.asList(ablyChannel.presence.get(true))).isEmpty();
		}

		private AblyRealtime ably(String clientId) throws AblyException {
			ClientOptions options = AblyClientOptions.forServer(server.server(), TOKEN);
			options.clientId = clientId;
			AblyRealtime ably = new AblyRealtime(options);
			ably.connection.connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ably.connection.state == io.ably.lib.realtime.ConnectionState.connected);
			return ably;
		}

		private static CompletionListener completing(CompletableFuture<Void> future) {
			return new CompletionListener() {

				@Override
				public void onSuccess() {
					future.complete(null);
				}

				@Override
				public void onError(io.ably.lib.types.ErrorInfo reason) {
					future.completeExceptionally(new IllegalStateException(reason.toString()));
				}

			};
		}

	}

	private RealtimeClient client(String clientId) {
		try {
			RealtimeClient client = this.clients.client(this.clients.proxy(), (options) -> options.clientId(clientId),
					(builder) -> builder);
			client.connection().connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.connection().state() == ConnectionState.CONNECTED);
			return client;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
