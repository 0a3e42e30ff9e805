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

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.websocket.server.WsSci;

import org.springframework.util.FileSystemUtils;

/**
 * A WebSocket server on a random loopback port, a plain JSR-356 endpoint on Tomcat, that
 * records what it receives and can stop reading, so that TCP pushes back on the client.
 * Its sockets have a small receive buffer, so that a client's writes stall soon after.
 */
final class LoopbackWebSocketServer implements AutoCloseable {

	private final Tomcat tomcat;

	private final Path baseDir;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final List<Session> sessions = new CopyOnWriteArrayList<>();

	private final AtomicInteger opened = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private volatile CountDownLatch reading = new CountDownLatch(0);

	private volatile Duration handshakeDelay = Duration.ZERO;

	private volatile List<String> greeting = List.of();

	private volatile List<byte[]> binaryGreeting = List.of();

	private LoopbackWebSocketServer() throws IOException {
		Registry.disableRegistry();
		this.baseDir = Files.createTempDirectory("loopback-websocket-");
		this.tomcat = new Tomcat();
		this.tomcat.setSilent(true);
		this.tomcat.setBaseDir(this.baseDir.toString());
		Connector connector = new Connector("HTTP/1.1");
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		connector.setProperty("socket.rxBufSize", "65536");
		this.tomcat.setConnector(connector);
		StandardContext context = (StandardContext) this.tomcat.addContext("", this.baseDir.toString());
		context.setClearReferencesRmiTargets(false);
		context.setClearReferencesThreadLocals(false);
		context.addServletContainerInitializer(new WsSci(), null);
		Tomcat.addServlet(context, "none", new HttpServlet() {
		});
		context.addServletMappingDecoded("/", "none");
	}

	static LoopbackWebSocketServer start() throws IOException, LifecycleException, DeploymentException {
		LoopbackWebSocketServer server = new LoopbackWebSocketServer();
		server.tomcat.start();
		Context context = (Context) server.tomcat.getHost().findChild("");
		ServerContainer container = (ServerContainer) context.getServletContext()
			.getAttribute(ServerContainer.class.getName());
		container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
		container.addEndpoint(ServerEndpointConfig.Builder.create(Recorder.class, "/ws")
			.configurator(server.new Configurator())
			.build());
		return server;
	}

	URI uri() {
		return URI.create("ws://127.0.0.1:" + this.tomcat.getConnector().getLocalPort() + "/ws");
	}

	/** The text frames received so far, in order. */
	List<String> received() {
		return this.received;
	}

	int opened() {
		return this.opened.get();
	}

	int closed() {
		return this.closed.get();
	}

	/** Stop reading: the next frame is held until {@link #resumeReading()}. */
	void stopReading() {
		this.reading = new CountDownLatch(1);
	}

	void resumeReading() {
		this.reading.countDown();
	}

	/** Hold every handshake for the given time before completing it. */
	void delayHandshakes(Duration delay) {
		this.handshakeDelay = delay;
	}

	/**
	 * Send these frames to every client as soon as it connects, with one socket write
	 * where they fit in the container's output buffer, so that they arrive together.
	 */
	void greet(String... frames) {
		this.greeting = List.of(frames);
	}

	/**
	 * Send these binary frames to every client as soon as it connects, after the text
	 * ones.
	 */
	void greetBinary(byte[]... frames) {
		this.binaryGreeting = List.of(frames);
	}

	/** Send a ping to the client of the session opened {@code index}th, from 0. */
	void ping(int index) throws IOException {
		this.sessions.get(index).getBasicRemote().sendPing(ByteBuffer.wrap(new byte[] { 1 }));
	}

	/** Send a text frame to the client of the session opened {@code index}th, from 0. */
	void send(int index, String frame) throws IOException {
		this.sessions.get(index).getBasicRemote().sendText(frame);
	}

	void closeAll(CloseReason reason) throws IOException {
		for (Session session : this.sessions) {
			session.close(reason);
		}
	}

	@Override
	public void close() throws LifecycleException {
		resumeReading();
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.baseDir.toFile());
		}
	}

	private final class Configurator extends ServerEndpointConfig.Configurator {

		@Override
		public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
			long delay = LoopbackWebSocketServer.this.handshakeDelay.toMillis();
			if (delay > 0) {
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T getEndpointInstance(Class<T> endpointClass) {
			return (T) new Recorder();
		}

	}

	private final class Recorder extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			LoopbackWebSocketServer.this.opened.incrementAndGet();
			LoopbackWebSocketServer.this.sessions.add(session);
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) (text) -> {
				try {
					LoopbackWebSocketServer.this.reading.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				LoopbackWebSocketServer.this.received.add(text);
			});
			try {
				session.getBasicRemote().setBatchingAllowed(true);
				for (String frame : LoopbackWebSocketServer.this.greeting) {
					session.getBasicRemote().sendText(frame);
				}
				session.getBasicRemote().setBatchingAllowed(false);
				for (byte[] frame : LoopbackWebSocketServer.this.binaryGreeting) {
					session.getBasicRemote().sendBinary(ByteBuffer.wrap(frame));
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			LoopbackWebSocketServer.this.sessions.remove(session);
			LoopbackWebSocketServer.this.closed.incrementAndGet();
		}

	}

}
