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

package dev.realtime.test.autoconfigure;

import dev.realtime.test.server.RealtimeServer;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Before each test method of a test class annotated with
 * {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer}, undoes the faults of
 * the context's embedded server and clears its statistics, so that tests sharing a cached
 * context do not see each other's faults or counts. Sessions and open connections are
 * kept.
 *
 * @author Realtime team
 */
public class ResetRealtimeServerTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext() || !TestContextAnnotationUtils
			.hasAnnotation(testContext.getTestClass(), AutoConfigureRealtimeServer.class)) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		if (context.containsBean(RealtimeServerAutoConfiguration.SERVER_BEAN_NAME)) {
			RealtimeServer server = context.getBean(RealtimeServerAutoConfiguration.SERVER_BEAN_NAME,
					RealtimeServer.class);
			server.start();
			server.resetFaults();
			server.resetStatistics();
		}
	}

}
