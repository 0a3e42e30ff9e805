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

package dev.realtime.autoconfigure;

import dev.realtime.client.RealtimeClientOptions;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application configures the connection of {@code realtime.*}: it says
 * where the connection goes, with {@code realtime.url}, connection details (such as those
 * of a {@code @ServiceConnection}) or client options of its own, or it has no named
 * connections, so that a missing {@code realtime.url} is reported rather than ignored.
 *
 * @author Realtime team
 */
class UnnamedConnectionCondition extends AnyNestedCondition {

	UnnamedConnectionCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty("realtime.url")
	static class Url {

	}

	@ConditionalOnBean(RealtimeConnectionDetails.class)
	static class ConnectionDetails {

	}

	@ConditionalOnBean(RealtimeClientOptions.class)
	static class ClientOptions {

	}

	@Conditional(NoNamedConnectionsCondition.class)
	static class NoNamedConnections {

	}

	static class NoNamedConnectionsCondition extends NoneNestedConditions {

		NoNamedConnectionsCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@Conditional(NamedConnectionsCondition.class)
		static class NamedConnections {

		}

	}

}
