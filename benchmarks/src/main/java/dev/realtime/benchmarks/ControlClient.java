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

package dev.realtime.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends commands to the push server over plain HTTP on a fresh socket each: no client
 * library to warm up, so a command costs a loopback round trip and nothing else.
 */
final class ControlClient {

	private final String host;

	private final int port;

	ControlClient(String host, int port) {
		this.host = host;
		this.port = port;
	}

	/**
	 * Send a command.
	 * @param pathAndQuery the command, such as {@code /drop?connectionId=conn-1}
	 * @return the server's answer
	 * @throws IOException if the server cannot be reached or refuses the command
	 */
	String get(String pathAndQuery) throws IOException {
		try (Socket socket = new Socket(this.host, this.port)) {
			socket.setTcpNoDelay(true);
			OutputStream output = socket.getOutputStream();
			output.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + this.host + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			output.flush();
			InputStream input = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			input.transferTo(response);
			String text = response.toString(StandardCharsets.UTF_8);
			int bodyStart = text.indexOf("\r\n\r\n");
			String body = (bodyStart >= 0) ? text.substring(bodyStart + 4).trim() : "";
			if (!text.startsWith("HTTP/1.1 200")) {
				throw new IOException("Server refused " + pathAndQuery + ": " + body);
			}
			return body;
		}
	}

}
