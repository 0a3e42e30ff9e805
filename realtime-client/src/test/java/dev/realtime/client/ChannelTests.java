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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for a {@link Channel} alone, through its narrow {@link ChannelConnection}.
 */
class ChannelTests {

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final StubConnection connection = new StubConnection();

	private final Channel channel = new Channel("news", ChannelOptions.defaults(), this.connection);

	@Test
	void attachWhileConnectedSendsAttachAndCompletesOnAttached() {
		this.connection.state = ConnectionState.CONNECTED;
		CompletableFuture<Void> attached = this.channel.attach();
		settle();
		assertThat(this.connection.sent).extracting(ProtocolMessage::getAction).containsExactly(Action.ATTACH);
		assertThat(this.channel.state()).isEqualTo(ChannelState.ATTACHING);
		this.channel.onAttached(frame("{\"action\":11,\"channel\":\"news\",\"channelSerial\":\"s0\"}"));
		settle();
		assertThat(attached).isCompleted();
		assertThat(this.connection.changes).extracting(ChannelStateChange::current)
			.containsExactly(ChannelState.ATTACHING, ChannelState.ATTACHED);
	}

	@Test
	void attachWhileTheConnectionIsConnectingWaitsForItToConnect() {
		this.connection.state = ConnectionState.CONNECTING;
		this.channel.attach();
		settle();
		assertThat(this.connection.sent).isEmpty();
		this.connection.state = ConnectionState.CONNECTED;
		this.channel.onConnectionConnected();
		assertThat(this.connection.sent).extracting(ProtocolMessage::getAction).containsExactly(Action.ATTACH);
	}

	@Test
	void reattachingCarriesTheSerialOfTheLastMessageGivenToSubscribers() {
		attached();
		List<Object> received = new ArrayList<>();
		this.channel.subscribe((message) -> received.add(message.data()));
		assertThat(this.channel.onMessage(
				frame("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\",\"messages\":[{\"data\":\"a\"}]}"),
				80))
			.as("not behind")
			.isFalse();
		settle();
		this.channel.onConnectionConnected();
		assertThat(received).containsExactly("a");
		assertThat(this.connection.sent.get(this.connection.sent.size() - 1).getChannelSerial()).isEqualTo("s1");
	}

	@Test
	void theChannelSaysWhenItsSubscribersAreBehindTheirBuffer() {
		attached();
		this.channel.subscribe((message) -> {
		});
		String frame = "{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"a\"}]}";
		assertThat(this.channel.onMessage(frame(frame), 600)).isFalse();
		assertThat(this.channel.onMessage(frame(frame), 600)).as("over the 1 KB buffer").isTrue();
	}

	private void attached() {
		this.connection.state = ConnectionState.CONNECTED;
		this.channel.attach();
		settle();
		this.channel.onAttached(frame("{\"action\":11,\"channel\":\"news\"}"));
		settle();
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private static ProtocolMessage frame(String json) {
		return new ProtocolCodec().decode(json);
	}

	/** A connection that records what the channel asks of it. */
	private final class StubConnection implements ChannelConnection {

		private final ProtocolCodec codec = new ProtocolCodec();

		private final List<ProtocolMessage> sent = new ArrayList<>();

		private final List<ChannelStateChange> changes = new ArrayList<>();

		private final Executor now = ChannelTests.this.scheduler.executor();

		private final Notifier notifier = new Notifier(this.now, this.now);

		private final SerialExecutor actor = new SerialExecutor(this.now, 100);

		private ConnectionState state = ConnectionState.INITIALIZED;

		@Override
		public boolean submit(Runnable task) {
			return this.actor.tryExecute(task);
		}

		@Override
		public WireMessage encode(@Nullable String name, @Nullable Object data) {
			return this.codec.encodeMessage("id", name, data);
		}

		@Override
		public void publish(Channel channel, WireMessage message, CompletableFuture<Void> result) {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable Object decode(WireMessage message) {
			return this.codec.decodeData(message);
		}

		@Override
		public WirePresenceMessage encodePresence(PresenceAction action, @Nullable Object data) {
			return this.codec.encodePresence(action.code(), data);
		}

		@Override
		public @Nullable Object decode(WirePresenceMessage message) {
			return this.codec.decodeData(message);
		}

		@Override
		public @Nullable String connectionId() {
			return "c1";
		}

		@Override
		public @Nullable String actorClientId() {
			return null;
		}

		@Override
		public Instant now() {
			return ChannelTests.this.scheduler.getClock().instant();
		}

		@Override
		public void publishPresence(Channel channel, WirePresenceMessage message, CompletableFuture<Void> result) {
			throw new UnsupportedOperationException();
		}

		@Override
		public RealtimeClientOptions options() {
			return RealtimeClientOptions.builder(URI.create("ws://realtime.example.com/"))
				.subscriberBufferSize(DataSize.ofKilobytes(1))
				.build();
		}

		@Override
		public RandomGenerator random() {
			return RandomGenerator.getDefault();
		}

		@Override
		public ActorTimers newTimers() {
			return new ActorTimers(ChannelTests.this.scheduler, this.actor);
		}

		@Override
		public SubscriberLane newSubscriberLane(Channel channel) {
			return new SubscriberLane(this.now, options().subscribers().bufferSize().toBytes(), () -> {
			});
		}

		@Override
		public ConnectionState actorState() {
			return this.state;
		}

		@Override
		public boolean send(ProtocolMessage message) {
			this.sent.add(message);
			return true;
		}

		@Override
		public Notifier notifier() {
			return this.notifier;
		}

		@Override
		public void notifyChannelListeners(List<ChannelStateListener> listeners, ChannelStateChange change) {
			this.changes.add(change);
		}

	}

}
