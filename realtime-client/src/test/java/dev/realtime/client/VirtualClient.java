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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A client on virtual time with a fake transport, and the moves of a server, for tests
 * that throw frames at a connected client.
 */
final class VirtualClient {

	static final URI URL = URI.create("ws://realtime.example.com/");

	private static final ProtocolCodec codec = new ProtocolCodec();

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final List<ConnectionStateChange> changes = new ArrayList<>();

	private final List<ChannelStateChange> channelChanges = new ArrayList<>();

	private final RealtimeClient client;

	VirtualClient() {
		this(UnaryOperator.identity());
	}

	VirtualClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this(customizer, (builder, virtualTime) -> builder);
	}

	/**
	 * A client whose builder is customized too, after the virtual time and the fake
	 * transport are set; the customizer is given the executor that runs tasks on virtual
	 * time.
	 */
	VirtualClient(UnaryOperator<RealtimeClientOptions.Builder> customizer,
			BiFunction<RealtimeClient.Builder, Executor, RealtimeClient.Builder> clientCustomizer) {
		RealtimeClientOptions options = customizer.apply(RealtimeClientOptions.builder(URL).key("app.key:secret"))
			.build();
		RealtimeClient.Builder builder = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.transportFactory(this.transports)
			.random(new NoJitter());
		this.client = clientCustomizer.apply(builder, this.scheduler.executor()).build();
		this.client.connection().addListener(this.changes::add);
		this.client.addChannelListener(this.channelChanges::add);
	}

	RealtimeClient client() {
		return this.client;
	}

	RealtimeConnection connection() {
		return this.client.connection();
	}

	FakeTransportFactory transports() {
		return this.transports;
	}

	List<ConnectionStateChange> changes() {
		return this.changes;
	}

	/**
	 * Return the state changes of every channel, in order; a test may clear them.
	 */
	List<ChannelStateChange> channelChanges() {
		return this.channelChanges;
	}

	/**
	 * Connect and receive CONNECTED with the given id and key.
	 */
	VirtualClient connect(String connectionId, String connectionKey) {
		connection().connect();
		settle();
		receive(connectedFrame(connectionId, connectionKey, 15_000));
		assertThat(connection().state()).isEqualTo(ConnectionState.CONNECTED);
		return this;
	}

	/**
	 * Attach the channel and receive ATTACHED with the given channel serial.
	 */
	RealtimeChannel attach(String name, String channelSerial) {
		RealtimeChannel channel = this.client.channel(name);
		channel.attach();
		settle();
		receive("{\"action\":11,\"channel\":\"" + name + "\",\"channelSerial\":\"" + channelSerial + "\"}");
		assertThat(channel.state()).isEqualTo(ChannelState.ATTACHED);
		return channel;
	}

	/**
	 * The server sends a frame, and the client handles what is due.
	 */
	VirtualClient receive(String frame) {
		this.transports.last().receive(frame);
		settle();
		return this;
	}

	/**
	 * The server sends heartbeats every five seconds for the given time.
	 */
	void keepAlive(Duration duration) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
			advance(Duration.ofSeconds(5));
			receive("{\"action\":0}");
		}
	}

	void settle() {
		this.scheduler.runDueTasks();
	}

	void advance(Duration duration) {
		this.scheduler.advance(duration);
	}

	FakeTransport transport() {
		return this.transports.last();
	}

	/**
	 * Return the frames of an action the client sent on the current transport.
	 */
	List<ProtocolMessage> sent(Action action) {
		return sent().stream().filter((message) -> message.getAction() == action).toList();
	}

	private List<ProtocolMessage> sent() {
		return this.transports.last().sent().stream().map(codec::decode).toList();
	}

	/**
	 * Return the last frame the client sent on the current transport, whatever its
	 * action.
	 */
	ProtocolMessage lastSent() {
		return this.transports.last().lastSent();
	}

	/**
	 * Return the actions, among those given, of the frames the client sent on the current
	 * transport, in order.
	 */
	List<Action> sentActions(Action... actions) {
		List<Action> wanted = List.of(actions);
		return sent().stream().map(ProtocolMessage::getAction).filter(wanted::contains).toList();
	}

	ProtocolMessage lastSent(Action action) {
		List<ProtocolMessage> sent = sent(action);
		assertThat(sent).as("sent %s", action).isNotEmpty();
		return sent.get(sent.size() - 1);
	}

	List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
	}

	/**
	 * Return the states the given channel went through, in order.
	 */
	List<ChannelState> states(String channel) {
		return this.channelChanges.stream()
			.filter((change) -> change.channel().equals(channel))
			.map(ChannelStateChange::current)
			.toList();
	}

	/**
	 * Return the virtual time now.
	 */
	Instant now() {
		return this.scheduler.now();
	}

	static String connectedFrame(String connectionId, String connectionKey, long maxIdleInterval) {
		return "{\"action\":4,\"connectionId\":\"" + connectionId + "\",\"connectionDetails\":{\"connectionKey\":\""
				+ connectionKey + "\",\"maxIdleInterval\":" + maxIdleInterval + ",\"connectionStateTtl\":120000}}";
	}

	static ErrorInfo failureOf(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		Throwable failure = catchThrowable(future::join);
		return ((RealtimeException) failure.getCause()).getErrorInfo();
	}

	/** No jitter: retry delays are exact. */
	private static final class NoJitter implements RandomGenerator {

		private long next;

		@Override
		public long nextLong() {
			return this.next++;
		}

		@Override
		public double nextDouble() {
			return 1.0;
		}

	}

}
