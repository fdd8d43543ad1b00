/** Each role's view of the same plant through the gateway: masked, plain or forbidden. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES } from '../kit/roles.ts';
import { startTestStack, type TestStack } from './support/stack.ts';

const PLANT_QUERY = `query ($id: ID!) { plant(id: $id) { id name status capacityMw operator { name email phone } } }`;
type PlantAnswer = { plant: { id: string; operator: { name: string; email: string; phone: string } } | null };

describe('plants through the gateway, per role', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(ROLES.filter((role) => role !== 'ADMIN'))('shows %s the operator contact masked', async (role) => {
    const { status, body } = await stack.query<PlantAnswer>(PLANT_QUERY, { token: await stack.token(role), variables: { id: 'plant-007' } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const operator = body.data!.plant!.operator;
    expect(operator.name).toBeTruthy();
    expect(operator.email).toMatch(/^[a-z]\*\*\*@example\.com$/);
    expect(operator.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
  });

  it('shows an ADMIN (pii:read) the operator contact plain', async () => {
    const { body } = await stack.query<PlantAnswer>(PLANT_QUERY, { token: await stack.token('ADMIN'), variables: { id: 'plant-007' } });
    expect(body.errors).toBeUndefined();
    const operator = body.data!.plant!.operator;
    expect(operator.email).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);
    expect(operator.phone).toMatch(/^\+1-555-\d{3}-\d{4}$/);
  });

  it('answers FORBIDDEN with null data to a verified caller whose roles grant no plants:read', async () => {
    const token = await stack.tokenWithRoles(['CONTRACTOR'], 'contractor-1');
    const { status, body } = await stack.query<PlantAnswer>(PLANT_QUERY, { token, variables: { id: 'plant-007' } });
    expect(status).toBe(200);
    expect(body.data?.plant ?? null).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(JSON.stringify(body)).not.toMatch(/example\.com|\+1-555/);
  });

  it('answers null, not an error, for an unknown plant id', async () => {
    const { body } = await stack.query<PlantAnswer>(PLANT_QUERY, { token: await stack.token('VIEWER'), variables: { id: 'plant-999' } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.plant).toBeNull();
  });
});
