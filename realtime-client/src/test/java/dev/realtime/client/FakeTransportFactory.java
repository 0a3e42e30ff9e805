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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link TransportFactory} whose transports the test drives by hand: it decides when
 * they open, what the server says and when they drop.
 */
final class FakeTransportFactory implements TransportFactory {

	private final List<FakeTransport> opened = new CopyOnWriteArrayList<>();

	private Function<String, List<String>> answers = (frame) -> List.of();

	@Override
	public Transport open(URI uri, TransportListener listener) {
		FakeTransport transport = new FakeTransport(uri, listener, this.answers);
		this.opened.add(transport);
		return transport;
	}

	/**
	 * Answer the frames the client sends, as a server would: each frame sent is given to
	 * the function, and what it returns is received at once.
	 * @param answers the answers to a frame
	 * @return this factory
	 */
	FakeTransportFactory answering(Function<String, List<String>> answers) {
		this.answers = answers;
		return this;
	}

	List<FakeTransport> opened() {
		return this.opened;
	}

	FakeTransport last() {
		assertThat(this.opened).as("opened transports").isNotEmpty();
		return this.opened.get(this.opened.size() - 1);
	}

	static final class FakeTransport implements Transport {

		private final URI uri;

		private final TransportListener listener;

		private final List<String> sent = new CopyOnWriteArrayList<>();

		private final Function<String, List<String>> answers;

		private volatile boolean open;

		private volatile boolean closed;

		FakeTransport(URI uri, TransportListener listener, Function<String, List<String>> answers) {
			this.uri = uri;
			this.listener = listener;
			this.answers = answers;
		}

		URI uri() {
			return this.uri;
		}

		Map<String, String> query() {
			return UriComponentsBuilder.fromUri(this.uri).build().getQueryParams().toSingleValueMap();
		}

		List<String> sent() {
			return this.sent;
		}

		boolean isClosed() {
			return this.closed;
		}

		/** The handshake completes. */
		FakeTransport open() {
			this.open = true;
			this.listener.onOpen();
			return this;
		}

		/** The server sends a frame (also opening the transport if needed). */
		FakeTransport receive(String frame) {
			if (!this.open) {
				open();
			}
			this.listener.onFrame(frame);
			return this;
		}

		/** The connection drops or fails to open. */
		void drop(String reason) {
			this.open = false;
			this.listener.onClosed(reason);
		}

		@Override
		public boolean send(String frame) {
			if (!this.open || this.closed) {
				return false;
			}
			this.sent.add(frame);
			this.answers.apply(frame).forEach(this.listener::onFrame);
			return true;
		}

		@Override
		public void close() {
			this.closed = true;
			this.open = false;
		}

	}

}
