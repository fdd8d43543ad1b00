/**
 * The gateway's subscription schema: the federated API schema (so a subscriber can select
 * any Plant field) extended with the Subscription root that @apollo/gateway does not serve.
 */
import { extendSchema, parse, type GraphQLSchema } from 'graphql';

export const SUBSCRIPTION_SDL = /* GraphQL */ `
  extend schema {
    subscription: Subscription
  }

  type Subscription {
    "Downtime alerts: the Plant API going down or back, plants going offline or back online. No plantIds: every plant."
    plantDowntime(plantIds: [ID!]): PlantDowntimeEvent
  }

  enum PlantDowntimeKind {
    API_DOWN
    API_RESTORED
    PLANT_OFFLINE
    PLANT_ONLINE
  }

  type PlantDowntimeEvent {
    kind: PlantDowntimeKind!
    "ISO 8601 time of the transition."
    at: String!
    message: String!
    "The plant, resolved through the federated graph for this subscriber; null for the API-wide kinds."
    plant: Plant
  }
`;

export function subscriptionSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  return extendSchema(apiSchema, parse(SUBSCRIPTION_SDL));
}
