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

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when any {@link dev.realtime.client.RealtimeClient RealtimeClient} is
 * auto-configured: the client of {@code realtime.*}, or that of a named connection.
 *
 * @author Realtime team
 */
class AutoConfiguredRealtimeClientsCondition extends AnyNestedCondition {

	AutoConfiguredRealtimeClientsCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@Conditional(UnnamedRealtimeClientCondition.class)
	static class UnnamedClient {

	}

	@Conditional(NamedConnectionsCondition.class)
	static class NamedClients {

	}

}
