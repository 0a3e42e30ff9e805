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

package dev.realtime.client.transport;

import java.net.URI;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link TransportFactory} for unit tests, whose transports the test drives by hand or
 * lets play a server. Public for the tests of other modules, through this module's
 * test-jar.
 * <p>
 * <strong>By hand.</strong> A new factory answers nothing: each transport it opens stays
 * opening until the test {@linkplain FakeTransport#open() opens} it or
 * {@linkplain FakeTransport#receive(String) receives} a frame on it, and ends when the
 * test {@linkplain FakeTransport#drop(String) drops} it. What the client sent is
 * recorded, as frames and as decoded messages: <pre class="code">
 * FakeTransportFactory transports = new FakeTransportFactory();
 * // ... the client connects
 * transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
 * assertThat(transports.last().lastSent().getAction()).isEqualTo(Action.ATTACH);
 * transports.last().drop("reset by peer");
 * </pre>
 * <p>
 * <strong>As a server.</strong> {@link #answerAsServer()} switches on every default
 * answer: each transport opens at once and is accepted with {@code CONNECTED}
 * ({@link #answerOpen()}), {@code ATTACH} is answered with {@code ATTACHED},
 * {@code DETACH} with {@code DETACHED}, {@code HEARTBEAT} with a {@code HEARTBEAT} of the
 * same id, {@code MESSAGE} with an {@code ACK} of its {@code msgSerial}, and
 * {@code CLOSE} with {@code CLOSED}. Each answer can be switched on alone
 * ({@link #answer(Action)}), replaced ({@link #answer(Action, Function)}) or silenced
 * ({@link #silence(Action)}), also while a test runs: a transport looks its answer up
 * when the client sends. The two styles mix: a test may still receive and drop by hand on
 * a transport that answers. <pre class="code">
 * FakeTransportFactory transports = new FakeTransportFactory().answerAsServer()
 * 	.silence(Action.DETACH) // detach() must time out in this test
 * 	.answer(Action.ATTACH, (attach) -&gt; List.of(
 * 			FakeTransportFactory.error(attach.getChannel(), 40160, 401, "denied")));
 * </pre>
 * <p>
 * <strong>Threads.</strong> Configuration, recording and inspection are thread-safe: the
 * client sends on its actor thread while the test reads on its own. The transport calls
 * its listener's {@code onOpen} and {@code onFrame} one thread at a time, as a real
 * transport does. By default answers are given on the thread that sends, before
 * {@code send} returns, which keeps tests on virtual time deterministic. On real threads,
 * {@link #answerAsynchronously()} gives them from a thread of the fake instead, as a real
 * transport's reader would: otherwise a sender that answers itself waits whenever the
 * client applies back-pressure, and the client's actor must never wait.
 *
 * @author Realtime team
 */
public final class FakeTransportFactory implements TransportFactory {

	/**
	 * The connection id of the default {@code CONNECTED} answer.
	 */
	public static final String CONNECTION_ID = "c1";

	/**
	 * The connection key of the default {@code CONNECTED} answer.
	 */
	public static final String CONNECTION_KEY = "k1";

	private static final ProtocolCodec codec = new ProtocolCodec();

	private static final Map<Action, Function<ProtocolMessage, List<String>>> DEFAULT_ANSWERS = defaultAnswers();

	private static final Function<URI, List<String>> DEFAULT_OPEN_ANSWER = (uri) -> List
		.of(connected(CONNECTION_ID, CONNECTION_KEY));

	private static final Executor ON_THE_SENDING_THREAD = Runnable::run;

	private final List<FakeTransport> opened = new CopyOnWriteArrayList<>();

	// Replaced, never modified, so that a sender reads a consistent table without a lock

	private volatile Map<Action, Function<ProtocolMessage, List<String>>> answers = Map.of();

	private volatile @Nullable Function<URI, List<String>> openAnswer;

	private volatile Executor answerExecutor = ON_THE_SENDING_THREAD;

	private volatile long singleWriteFrameSize;

	@Override
	public Transport open(URI uri, TransportListener listener) {
		FakeTransport transport = new FakeTransport(uri, listener);
		this.opened.add(transport);
		Function<URI, List<String>> answer = this.openAnswer;
		if (answer != null) {
			List<String> frames = answer.apply(uri);
			this.answerExecutor.execute(() -> transport.accept(frames));
		}
		return transport;
	}

	/**
	 * Let new transports say that they write frames up to the given size with one socket
	 * write, as {@link Transport#singleWriteFrameSize()} does; {@code 0}, the initial
	 * setting, for unknown.
	 * @param size the size in bytes
	 * @return this factory
	 */
	public FakeTransportFactory singleWriteFrameSize(long size) {
		this.singleWriteFrameSize = size;
		return this;
	}

	/**
	 * Switch on every default answer: the transport opens at once with {@code CONNECTED},
	 * and {@code ATTACH}, {@code DETACH}, {@code HEARTBEAT}, {@code MESSAGE} and
	 * {@code CLOSE} are answered as a server would.
	 * @return this factory
	 * @see #answerOpen()
	 * @see #answer(Action)
	 */
	public FakeTransportFactory answerAsServer() {
		answerOpen();
		DEFAULT_ANSWERS.keySet().forEach(this::answer);
		return this;
	}

	/**
	 * Open each new transport at once and accept it with {@code CONNECTED}, connection id
	 * {@value #CONNECTION_ID} and key {@value #CONNECTION_KEY}, as
	 * {@link #connected(String, String)} describes, whether or not the client asked to
	 * resume.
	 * @return this factory
	 */
	public FakeTransportFactory answerOpen() {
		return answerOpen(DEFAULT_OPEN_ANSWER);
	}

	/**
	 * Open each new transport at once and answer with the given frames, for example a
	 * {@link #connected(String, ConnectionDetails) CONNECTED} with other details, an
	 * {@link #error(int, int, String) ERROR}, or no frame at all for a server that stays
	 * silent after the handshake.
	 * @param answer the frames the server sends once the handshake completes, given the
	 * URI the transport was opened to
	 * @return this factory
	 */
	public FakeTransportFactory answerOpen(Function<URI, List<String>> answer) {
		this.openAnswer = answer;
		return this;
	}

	/**
	 * Leave new transports opening until the test opens them, which is the initial
	 * setting.
	 * @return this factory
	 */
	public FakeTransportFactory silenceOpen() {
		this.openAnswer = null;
		return this;
	}

	/**
	 * Answer the given action as a server would: {@code ATTACH} with {@code ATTACHED} and
	 * {@code DETACH} with {@code DETACHED} for the same channel, {@code HEARTBEAT} with a
	 * {@code HEARTBEAT} of the same id, {@code MESSAGE} with an {@code ACK} of its
	 * {@code msgSerial} (none if it has none), {@code CLOSE} with {@code CLOSED}.
	 * @param action one of the actions above
	 * @return this factory
	 * @throws IllegalArgumentException if there is no default answer to the action
	 */
	public FakeTransportFactory answer(Action action) {
		Function<ProtocolMessage, List<String>> answer = DEFAULT_ANSWERS.get(action);
		if (answer == null) {
			throw new IllegalArgumentException(
					"No default answer to " + action + "; give one with answer(" + action + ", answer)");
		}
		return answer(action, answer);
	}

	/**
	 * Answer the given action with the frames the function returns, replacing any answer
	 * to it.
	 * @param action the action the client sends
	 * @param answer the frames the server sends back, given the message the client sent;
	 * an empty list answers nothing
	 * @return this factory
	 */
	public synchronized FakeTransportFactory answer(Action action, Function<ProtocolMessage, List<String>> answer) {
		Map<Action, Function<ProtocolMessage, List<String>>> answers = new EnumMap<>(Action.class);
		answers.putAll(this.answers);
		answers.put(action, answer);
		this.answers = answers;
		return this;
	}

	/**
	 * Answer nothing to the given action, as a server that does not answer it in time.
	 * @param action the action the client sends
	 * @return this factory
	 */
	public synchronized FakeTransportFactory silence(Action action) {
		Map<Action, Function<ProtocolMessage, List<String>>> answers = new EnumMap<>(Action.class);
		answers.putAll(this.answers);
		answers.remove(action);
		this.answers = answers.isEmpty() ? Map.of() : answers;
		return this;
	}

	/**
	 * Give answers, and accept new transports, from a thread of the fake, in the order
	 * the client sent, instead of on the thread that sends. For tests on real threads.
	 * The thread ends once idle, so there is nothing to shut down.
	 * @return this factory
	 */
	public FakeTransportFactory answerAsynchronously() {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor server = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "fake-server-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.answerExecutor = server;
		return this;
	}

	/**
	 * Return the transports opened so far, in order.
	 * @return the transports, a thread-safe view
	 */
	public List<FakeTransport> opened() {
		return Collections.unmodifiableList(this.opened);
	}

	/**
	 * Return the transport opened last.
	 * @return the transport
	 * @throws AssertionError if none was opened
	 */
	public FakeTransport last() {
		List<FakeTransport> opened = List.copyOf(this.opened);
		assertThat(opened).as("opened transports").isNotEmpty();
		return opened.get(opened.size() - 1);
	}

	// Frames

	/**
	 * Return a {@code CONNECTED} frame with the given connection key, a
	 * {@code maxIdleInterval} of 15 s and a {@code connectionStateTtl} of 120 s.
	 * @param connectionId the id of the connection
	 * @param connectionKey the key that resumes it
	 * @return the frame
	 */
	public static String connected(String connectionId, String connectionKey) {
		return connected(connectionId, details(connectionKey));
	}

	/**
	 * Return a {@code CONNECTED} frame that carries an error, as a server that could not
	 * resume the connection sends, with the details of
	 * {@link #connected(String, String)}.
	 * @param connectionId the id of the connection
	 * @param connectionKey the key that resumes it
	 * @param error the error
	 * @return the frame
	 */
	public static String connected(String connectionId, String connectionKey, ErrorInfo error) {
		return codec.encode(new ProtocolMessage(Action.CONNECTED).setConnectionId(connectionId)
			.setConnectionDetails(details(connectionKey))
			.setError(error));
	}

	/**
	 * Return a {@code CONNECTED} frame with the given details.
	 * @param connectionId the id of the connection
	 * @param details the details of the connection
	 * @return the frame
	 */
	public static String connected(String connectionId, ConnectionDetails details) {
		return codec
			.encode(new ProtocolMessage(Action.CONNECTED).setConnectionId(connectionId).setConnectionDetails(details));
	}

	private static ConnectionDetails details(String connectionKey) {
		return new ConnectionDetails(null, connectionKey, 120_000L, 15_000L, null, null, null);
	}

	/**
	 * Return an {@code ERROR} frame for the connection: the server fails it.
	 * @param code the error code
	 * @param statusCode the HTTP status code
	 * @param message the description
	 * @return the frame
	 */
	public static String error(int code, int statusCode, String message) {
		return codec.encode(new ProtocolMessage(Action.ERROR).setError(new ErrorInfo(code, statusCode, message)));
	}

	/**
	 * Return an {@code ERROR} frame for a channel: the server fails the channel only.
	 * @param channel the name of the channel
	 * @param code the error code
	 * @param statusCode the HTTP status code
	 * @param message the description
	 * @return the frame
	 */
	public static String error(String channel, int code, int statusCode, String message) {
		return codec.encode(new ProtocolMessage(Action.ERROR).setChannel(channel)
			.setError(new ErrorInfo(code, statusCode, message)));
	}

	/**
	 * Return a {@code MESSAGE} frame that carries one message to a channel, its data
	 * encoded as a publisher would: a {@code String} as it is, a {@code byte[]} as
	 * base64, anything else as JSON.
	 * @param channel the name of the channel
	 * @param channelSerial the channel serial of the message
	 * @param data the data
	 * @return the frame
	 */
	public static String message(String channel, String channelSerial, @Nullable Object data) {
		return codec.encode(new ProtocolMessage(Action.MESSAGE).setChannel(channel)
			.setChannelSerial(channelSerial)
			.setMessages(List.of(codec.encodeMessage(null, null, data))));
	}

	/**
	 * Return an {@code ATTACHED} frame for a channel.
	 * @param channel the name of the channel
	 * @return the frame
	 */
	public static String attached(String channel) {
		return codec.encode(new ProtocolMessage(Action.ATTACHED).setChannel(channel));
	}

	/**
	 * Return a {@code DETACHED} frame for a channel.
	 * @param channel the name of the channel
	 * @return the frame
	 */
	public static String detached(String channel) {
		return codec.encode(new ProtocolMessage(Action.DETACHED).setChannel(channel));
	}

	/**
	 * Return a {@code HEARTBEAT} frame.
	 * @param id the id of the heartbeat it answers, or {@code null}
	 * @return the frame
	 */
	public static String heartbeat(@Nullable String id) {
		return codec.encode(new ProtocolMessage(Action.HEARTBEAT).setId(id));
	}

	/**
	 * Return an {@code ACK} frame.
	 * @param msgSerial the first serial acknowledged
	 * @param count how many serials are acknowledged
	 * @return the frame
	 */
	public static String ack(long msgSerial, int count) {
		return codec.encode(new ProtocolMessage(Action.ACK).setMsgSerial(msgSerial).setCount(count));
	}

	/**
	 * Return a {@code CLOSED} frame.
	 * @return the frame
	 */
	public static String closed() {
		return codec.encode(new ProtocolMessage(Action.CLOSED));
	}

	private static Map<Action, Function<ProtocolMessage, List<String>>> defaultAnswers() {
		Map<Action, Function<ProtocolMessage, List<String>>> answers = new EnumMap<>(Action.class);
		answers.put(Action.ATTACH, (attach) -> List.of(attached(channelOf(attach))));
		answers.put(Action.DETACH, (detach) -> List.of(detached(channelOf(detach))));
		answers.put(Action.HEARTBEAT, (heartbeat) -> List.of(heartbeat(heartbeat.getId())));
		answers.put(Action.MESSAGE, (message) -> {
			Long msgSerial = message.getMsgSerial();
			return (msgSerial != null) ? List.of(ack(msgSerial, 1)) : List.of();
		});
		answers.put(Action.CLOSE, (close) -> List.of(closed()));
		return Collections.unmodifiableMap(answers);
	}

	private static String channelOf(ProtocolMessage message) {
		String channel = message.getChannel();
		assertThat(channel).as("channel of %s", message).isNotNull();
		return channel;
	}

	/**
	 * One transport of a {@link FakeTransportFactory}. It opens when the test says so, or
	 * at once if the factory {@linkplain FakeTransportFactory#answerOpen() answers the
	 * open}; it refuses to send before it opens and after it ended; it ends when the test
	 * drops it or the client closes it.
	 */
	public final class FakeTransport implements Transport {

		private final URI uri;

		private final TransportListener listener;

		private final List<String> sent = new CopyOnWriteArrayList<>();

		private final List<String> received = new CopyOnWriteArrayList<>();

		/**
		 * Held while the listener hears of the opening or a frame: one thread at a time.
		 */
		private final ReentrantLock reading = new ReentrantLock();

		private final AtomicBoolean opened = new AtomicBoolean();

		private final AtomicBoolean ended = new AtomicBoolean();

		private volatile boolean closed;

		FakeTransport(URI uri, TransportListener listener) {
			this.uri = uri;
			this.listener = listener;
		}

		/**
		 * Return the URI the client opened this transport to.
		 * @return the URI
		 */
		public URI uri() {
			return this.uri;
		}

		/**
		 * Return the query parameters of the URI, decoded no further than the URI has
		 * them.
		 * @return the parameters, by name, the first value of each
		 */
		public Map<String, String> query() {
			return UriComponentsBuilder.fromUri(this.uri).build().getQueryParams().toSingleValueMap();
		}

		/**
		 * Return the frames the client sent, in order.
		 * @return the frames, a thread-safe view that grows as the client sends
		 */
		public List<String> sent() {
			return Collections.unmodifiableList(this.sent);
		}

		/**
		 * Return the frames the server sent with {@link #receive(String)}, in order.
		 * @return the frames, a thread-safe view that grows as the server sends
		 */
		public List<String> received() {
			return Collections.unmodifiableList(this.received);
		}

		/**
		 * Return the messages the client sent so far, decoded, in order.
		 * @return the messages
		 */
		public List<ProtocolMessage> sentMessages() {
			return this.sent.stream().map(codec::decode).toList();
		}

		/**
		 * Return the messages of the given action the client sent so far, decoded, in
		 * order.
		 * @param action the action
		 * @return the messages
		 */
		public List<ProtocolMessage> sentMessages(Action action) {
			return sentMessages().stream().filter((message) -> message.getAction() == action).toList();
		}

		/**
		 * Return the last message the client sent, decoded.
		 * @return the message
		 * @throws AssertionError if the client sent nothing
		 */
		public ProtocolMessage lastSent() {
			List<String> sent = List.copyOf(this.sent);
			assertThat(sent).as("frames sent").isNotEmpty();
			return codec.decode(sent.get(sent.size() - 1));
		}

		/**
		 * Return whether the client closed this transport.
		 * @return whether it is closed
		 */
		public boolean isClosed() {
			return this.closed;
		}

		/**
		 * The handshake completes: the listener hears that the transport is open, unless
		 * it already did.
		 * @return this transport
		 */
		public FakeTransport open() {
			this.reading.lock();
			try {
				if (this.opened.compareAndSet(false, true)) {
					this.listener.onOpen(ReadControl.NONE);
				}
			}
			finally {
				this.reading.unlock();
			}
			return this;
		}

		/**
		 * The server sends a frame, on the calling thread, opening the transport first if
		 * the handshake has not completed. The frame is delivered even once the transport
		 * ended or was closed, so that a test can play a frame that raced with the end;
		 * the client must ignore it. Blocks while the client applies back-pressure.
		 * @param frame the frame
		 * @return this transport
		 */
		public FakeTransport receive(String frame) {
			this.reading.lock();
			try {
				open();
				this.received.add(frame);
				this.listener.onFrame(frame);
			}
			finally {
				this.reading.unlock();
			}
			return this;
		}

		/**
		 * The connection drops, or fails to open: the listener hears of the end, unless
		 * the transport already ended or the client closed it.
		 * @param reason what happened
		 */
		public void drop(String reason) {
			if (!this.closed && this.ended.compareAndSet(false, true)) {
				this.listener.onClosed(reason);
			}
		}

		/**
		 * Record the frame and give the server's answer to it, if any. Refused before the
		 * transport opened and after it ended or was closed.
		 */
		@Override
		public long singleWriteFrameSize() {
			return FakeTransportFactory.this.singleWriteFrameSize;
		}

		@Override
		public boolean send(String frame) {
			if (!this.opened.get() || this.ended.get() || this.closed) {
				return false;
			}
			this.sent.add(frame);
			Map<Action, Function<ProtocolMessage, List<String>>> answers = FakeTransportFactory.this.answers;
			if (!answers.isEmpty()) {
				ProtocolMessage message = codec.decode(frame);
				Function<ProtocolMessage, List<String>> answer = answers.get(message.getAction());
				if (answer != null) {
					List<String> frames = answer.apply(message);
					if (!frames.isEmpty()) {
						FakeTransportFactory.this.answerExecutor.execute(() -> answerWith(frames));
					}
				}
			}
			return true;
		}

		/**
		 * Close the transport: it sends and answers nothing more, and the listener hears
		 * nothing more of the server except what the test still
		 * {@linkplain #receive(String) receives} by hand.
		 */
		@Override
		public void close() {
			this.closed = true;
		}

		/** Complete the handshake and send the frames, unless the client gave up. */
		private void accept(List<String> frames) {
			this.reading.lock();
			try {
				if (!this.closed && !this.ended.get()) {
					open();
					answerWith(frames);
				}
			}
			finally {
				this.reading.unlock();
			}
		}

		private void answerWith(List<String> frames) {
			this.reading.lock();
			try {
				for (String frame : frames) {
					if (this.closed || this.ended.get()) {
						return;
					}
					this.listener.onFrame(frame);
				}
			}
			finally {
				this.reading.unlock();
			}
		}

	}

}
