/**
 * The equal-data check over running gateways: each operation through each gateway, our
 * first gateway's data the reference. Answers that include what the bench itself changes
 * (audit trails gain events as requests are audited) may settle a moment later, so a
 * difference is asked again a few times before it stops the bench.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from './operations.ts';
import { AnswersDiffer, assertEqualData, type Answer } from './equal-data.ts';
import { loadRequests, send, type GatewayUnderTest, type TokenFor } from './under-test.ts';

export async function checkEqualData(gateways: readonly GatewayUnderTest[], operations: readonly Operation[], tokenFor: TokenFor, { attempts = 3, pauseMs = 1000 } = {}): Promise<void> {
  const reference = gateways.find((gateway) => gateway.ours) ?? gateways[0];
  if (!reference) throw new Error('no gateway to check');
  for (const operation of operations) {
    for (let attempt = 1; ; attempt += 1) {
      const answers: Answer[] = [];
      for (const gateway of gateways) answers.push({ gateway: gateway.name, ...(await send(gateway, loadRequests(gateway, [operation], tokenFor)[0]!)) });
      try {
        assertEqualData(operation.name, answers.find((answer) => answer.gateway === reference.name)!, answers.filter((answer) => answer.gateway !== reference.name));
        break;
      } catch (error) {
        if (!(error instanceof AnswersDiffer) || attempt >= attempts) throw error;
        await sleep(pauseMs);
      }
    }
  }
}
