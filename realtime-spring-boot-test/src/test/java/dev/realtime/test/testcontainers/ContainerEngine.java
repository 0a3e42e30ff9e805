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
package dev.realtime.test.testcontainers;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.GenericContainer;

/**
 * Faults that only the container engine can inject into a running container: freezing
 * every process in it, stopping and starting it again, and cutting its network. Works
 * with Docker and with podman's Docker-compatible service.
 */
final class ContainerEngine {

	private final GenericContainer<?> container;

	private final String network;

	private ContainerEngine(GenericContainer<?> container) {
		this.container = container;
		this.network = container.getContainerInfo().getNetworkSettings().getNetworks().keySet().iterator().next();
	}

	/**
	 * Return the faults of the given running container.
	 * @param container the container
	 * @return its faults
	 */
	static ContainerEngine of(GenericContainer<?> container) {
		return new ContainerEngine(container);
	}

	/**
	 * Freeze every process of the container (the cgroup freezer); its sockets stay open
	 * and the kernel keeps accepting connections on its behalf.
	 */
	void pause() {
		client().pauseContainerCmd(id()).exec();
	}

	void unpause() {
		client().unpauseContainerCmd(id()).exec();
	}

	/**
	 * Stop the container: its process gets {@code SIGTERM}, and {@code SIGKILL} after the
	 * given grace period. Its port is released until {@link #start()}.
	 * @param grace the grace period
	 */
	void stop(Duration grace) {
		client().stopContainerCmd(id()).withTimeout((int) grace.toSeconds()).exec();
	}

	/**
	 * Start the stopped container again: a new process with none of the old one's state.
	 */
	void start() {
		client().startContainerCmd(id()).exec();
	}

	/**
	 * Disconnect the container from its network: packets to and from it are lost.
	 */
	void disconnectNetwork() {
		client().disconnectFromNetworkCmd().withNetworkId(this.network).withContainerId(id()).exec();
	}

	/**
	 * Connect the container to its network again.
	 */
	void connectNetwork() {
		client().connectToNetworkCmd().withNetworkId(this.network).withContainerId(id()).exec();
	}

	/**
	 * Return the name of the network the container was started on.
	 * @return the network
	 */
	String network() {
		return this.network;
	}

	private DockerClient client() {
		return this.container.getDockerClient();
	}

	private String id() {
		return this.container.getContainerId();
	}

}
