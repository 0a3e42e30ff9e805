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

import java.net.URI;

import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.springframework.boot.testcontainers.service.connection.PemTrustStore;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * {@link ContainerConnectionDetailsFactory} that creates
 * {@link RealtimeConnectionDetails} from a
 * {@link ServiceConnection @ServiceConnection}-annotated {@link RealtimeContainer}: the
 * container's URL, the first key or token it accepts and, for a container that serves
 * TLS, an SSL bundle that trusts its certificate. A bundle declared on the container's
 * field or bean ({@link PemTrustStore @PemTrustStore} and the like) takes the place of
 * the latter.
 *
 * @author Realtime team
 */
class RealtimeContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<RealtimeContainer, RealtimeConnectionDetails> {

	RealtimeContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "dev.realtime.autoconfigure.RealtimeConnectionDetails");
	}

	@Override
	protected RealtimeConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<RealtimeContainer> source) {
		return new RealtimeContainerConnectionDetails(source);
	}

	/**
	 * {@link RealtimeConnectionDetails} backed by a {@link ContainerConnectionSource}.
	 */
	static final class RealtimeContainerConnectionDetails extends ContainerConnectionDetails<RealtimeContainer>
			implements RealtimeConnectionDetails {

		private RealtimeContainerConnectionDetails(ContainerConnectionSource<RealtimeContainer> source) {
			super(source);
		}

		@Override
		public URI getUrl() {
			return URI.create(getContainer().getUrl());
		}

		@Override
		public @Nullable String getKey() {
			return getContainer().getKey();
		}

		@Override
		public @Nullable String getToken() {
			return (getContainer().getKey() != null) ? null : getContainer().getToken();
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			SslBundle declared = super.getSslBundle();
			return (declared != null) ? declared : getContainer().getSslBundle();
		}

	}

}
