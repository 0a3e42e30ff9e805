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

import dev.realtime.client.RealtimeClient;

import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the client of {@code realtime.*} is auto-configured: the application has
 * no {@link RealtimeClient} of its own, and configures that connection (see
 * {@link UnnamedConnectionCondition}).
 *
 * @author Realtime team
 */
class UnnamedRealtimeClientCondition extends AllNestedConditions {

	UnnamedRealtimeClientCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnMissingBean(RealtimeClient.class)
	static class NoClientOfTheApplication {

	}

	@Conditional(UnnamedConnectionCondition.class)
	static class UnnamedConnection {

	}

}
