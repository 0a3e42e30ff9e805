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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.websocket.server.WsSci;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * A bare embedded Tomcat that serves one Spring {@link WebSocketHttpRequestHandler} on
 * every path: no web application, no scanning, so it starts in a fraction of a second.
 *
 * @author Realtime team
 */
final class EmbeddedTomcat {

	private static final Log logger = LogFactory.getLog(EmbeddedTomcat.class);

	/**
	 * Tomcat's leak detection warns when it stops while a request thread is still busy,
	 * which is routine when a test stops the server in the middle of its traffic. Held
	 * here so that the level sticks.
	 */
	private static final java.util.logging.Logger leakDetectionLogger = silence(
			"org.apache.catalina.loader.WebappClassLoaderBase");

	private final Tomcat tomcat;

	private final Path baseDir;

	private final int port;

	private EmbeddedTomcat(Tomcat tomcat, Path baseDir, int port) {
		this.tomcat = tomcat;
		this.baseDir = baseDir;
		this.port = port;
	}

	/**
	 * Start a Tomcat that listens on the given address and hands every request to the
	 * given handler.
	 * @param host the address to listen on
	 * @param port the port, {@code 0} for a random free one
	 * @param handler the WebSocket handshake handler
	 * @param maxFrameSize the largest frame accepted
	 * @param ssl how to serve TLS, or {@code null} for plain HTTP
	 * @return the started Tomcat
	 * @throws IllegalStateException if Tomcat cannot start, for example because the port
	 * is taken
	 */
	static EmbeddedTomcat start(String host, int port, WebSocketHttpRequestHandler handler, int maxFrameSize,
			@Nullable ServerSsl ssl) {
		// As Spring Boot does: no JMX MBeans, which would clash between servers
		Registry.disableRegistry();
		Path baseDir = createBaseDir();
		Tomcat tomcat = new Tomcat();
		tomcat.setSilent(true);
		tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector("HTTP/1.1");
		connector.setPort(port);
		connector.setProperty("address", host);
		connector.setThrowOnFailure(true);
		if (ssl != null) {
			connector.setScheme("https");
			connector.setSecure(true);
			ssl.applyTo((AbstractHttp11Protocol<?>) connector.getProtocolHandler());
		}
		tomcat.setConnector(connector);
		tomcat.getHost().setAutoDeploy(false);
		StandardContext context = (StandardContext) tomcat.addContext("", baseDir.toString());
		context.setClearReferencesRmiTargets(false);
		context.setClearReferencesThreadLocals(false);
		context.addServletContainerInitializer(new WsSci(), null);
		Tomcat.addServlet(context, "realtime", new HandlerServlet(handler)).setLoadOnStartup(1);
		context.addServletMappingDecoded("/", "realtime");
		try {
			tomcat.start();
		}
		catch (LifecycleException | RuntimeException ex) {
			destroy(tomcat, baseDir);
			throw new IllegalStateException("Failed to start realtime server on " + host + ":" + port, ex);
		}
		ServerContainer container = (ServerContainer) context.getServletContext()
			.getAttribute(ServerContainer.class.getName());
		if (container != null) {
			container.setDefaultMaxTextMessageBufferSize(maxFrameSize);
			container.setDefaultMaxBinaryMessageBufferSize(maxFrameSize);
		}
		return new EmbeddedTomcat(tomcat, baseDir, connector.getLocalPort());
	}

	int port() {
		return this.port;
	}

	/**
	 * Stop Tomcat, which closes every open WebSocket, and release its port.
	 */
	void stop() {
		destroy(this.tomcat, this.baseDir);
	}

	private static void destroy(Tomcat tomcat, Path baseDir) {
		try {
			tomcat.stop();
			tomcat.destroy();
		}
		catch (LifecycleException ex) {
			logger.warn("Failed to stop embedded Tomcat", ex);
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(baseDir);
			}
			catch (IOException ex) {
				logger.debug("Failed to delete " + baseDir, ex);
			}
		}
	}

	private static java.util.logging.Logger silence(String name) {
		java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
		logger.setLevel(Level.SEVERE);
		return logger;
	}

	private static Path createBaseDir() {
		try {
			return Files.createTempDirectory("realtime-server-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a base directory for Tomcat", ex);
		}
	}

	/**
	 * Hands every request to a {@link WebSocketHttpRequestHandler}.
	 */
	private static final class HandlerServlet extends HttpServlet {

		private final transient WebSocketHttpRequestHandler handler;

		HandlerServlet(WebSocketHttpRequestHandler handler) {
			this.handler = handler;
		}

		@Override
		public void init() {
			this.handler.setServletContext(getServletContext());
			this.handler.start();
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response)
				throws ServletException, IOException {
			this.handler.handleRequest(request, response);
		}

		@Override
		public void destroy() {
			this.handler.stop();
		}

	}

}
