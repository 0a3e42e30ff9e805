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

package dev.realtime.autoconfigure.metrics;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link TransportFactory} whose transports play the server. By default the test drives
 * them by hand: it decides what the server says and when the connection drops. An
 * {@link #accepting() accepting} factory plays a well-behaved server instead: every
 * transport opens at once and is accepted with {@code CONNECTED}, and {@code CLOSE} is
 * answered with {@code CLOSED}.
 *
 * @author Realtime team
 */
final class ScriptedTransportFactory implements TransportFactory {

	private static final ProtocolCodec codec = new ProtocolCodec();

	private final boolean accepting;

	private final List<ScriptedTransport> opened = new CopyOnWriteArrayList<>();

	private ScriptedTransportFactory(boolean accepting) {
		this.accepting = accepting;
	}

	/**
	 * Return a factory whose transports the test drives by hand.
	 * @return the factory
	 */
	static ScriptedTransportFactory scripted() {
		return new ScriptedTransportFactory(false);
	}

	/**
	 * Return a factory whose transports are accepted at once.
	 * @return the factory
	 */
	static ScriptedTransportFactory accepting() {
		return new ScriptedTransportFactory(true);
	}

	/**
	 * Return a {@code CONNECTED} frame, optionally with an error.
	 * @param connectionId the id of the connection
	 * @param error the JSON of the error, or {@code null}
	 * @return the frame
	 */
	static String connected(String connectionId, @Nullable String error) {
		return "{\"action\":4,\"connectionId\":\"" + connectionId
				+ "\",\"connectionDetails\":{\"connectionKey\":\"k1\","
				+ "\"maxIdleInterval\":15000,\"connectionStateTtl\":120000}"
				+ ((error != null) ? ",\"error\":" + error : "") + "}";
	}

	/**
	 * Return a {@code CONNECTED} frame for connection {@code c1}.
	 * @return the frame
	 */
	static String connected() {
		return connected("c1", null);
	}

	/**
	 * Return an {@code ERROR} frame for the connection.
	 * @param code the error code
	 * @param statusCode the status code
	 * @return the frame
	 */
	static String error(int code, int statusCode) {
		return "{\"action\":9,\"error\":{\"code\":" + code + ",\"statusCode\":" + statusCode
				+ ",\"message\":\"scripted\"}}";
	}

	@Override
	public Transport open(URI uri, TransportListener listener) {
		ScriptedTransport transport = new ScriptedTransport(listener);
		this.opened.add(transport);
		if (this.accepting) {
			transport.receive(connected());
		}
		return transport;
	}

	/**
	 * Return the transports opened so far, in order.
	 * @return the transports
	 */
	List<ScriptedTransport> opened() {
		return this.opened;
	}

	/**
	 * Return the latest transport.
	 * @return the transport
	 */
	ScriptedTransport last() {
		assertThat(this.opened).as("opened transports").isNotEmpty();
		return this.opened.get(this.opened.size() - 1);
	}

	static final class ScriptedTransport implements Transport {

		private final TransportListener listener;

		private volatile boolean open;

		private volatile boolean closed;

		ScriptedTransport(TransportListener listener) {
			this.listener = listener;
		}

		/**
		 * The server sends a frame, opening the transport first if needed.
		 * @param frame the frame
		 * @return this transport
		 */
		ScriptedTransport receive(String frame) {
			if (!this.open) {
				this.open = true;
				this.listener.onOpen();
			}
			this.listener.onFrame(frame);
			return this;
		}

		/**
		 * The connection drops or fails to open.
		 * @param reason why
		 */
		void drop(String reason) {
			this.open = false;
			this.listener.onClosed(reason);
		}

		boolean isClosed() {
			return this.closed;
		}

		@Override
		public boolean send(String frame) {
			if (!this.open || this.closed) {
				return false;
			}
			if (codec.decode(frame).getAction() == Action.CLOSE) {
				this.listener.onFrame(codec.encode(new ProtocolMessage(Action.CLOSED)));
			}
			return true;
		}

		@Override
		public void close() {
			this.closed = true;
			this.open = false;
		}

	}

}
