/** Each role's view of the same plant through the gateway: masked, plain or forbidden. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

const PLANT_QUERY = `query ($id: ID!) { plant(id: $id) { id name status capacityMw operator { name email phone } } }`;

describe('plants through the gateway, per role', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('shows a VIEWER the operator contact masked', async () => {
    const { status, body } = await stack.query(PLANT_QUERY, { token: await stack.token('VIEWER'), variables: { id: 'plant-007' } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const operator = (body.data as { plant: { operator: { email: string; phone: string } } }).plant.operator;
    expect(operator.email).toMatch(/^[a-z]\*\*\*@example\.com$/);
    expect(operator.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
  });

  it('shows an ADMIN the operator contact plain', async () => {
    const { body } = await stack.query(PLANT_QUERY, { token: await stack.token('ADMIN'), variables: { id: 'plant-007' } });
    expect(body.errors).toBeUndefined();
    const operator = (body.data as { plant: { operator: { email: string; phone: string } } }).plant.operator;
    expect(operator.email).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);
    expect(operator.phone).toMatch(/^\+1-555-\d{3}-\d{4}$/);
  });
});
