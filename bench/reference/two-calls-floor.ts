/**
 * The floor under any handler that makes two AWS calls, whatever its client: it loads node's HTTP,
 * HTTPS and crypto modules, hashes each body and POSTs it twice over a keep-alive connection,
 * unsigned, evaluating nothing. The SDK floor (./sdk-floor.ts) minus this is what the SDK clients
 * cost; it was also the floor of the hand-written client the rules used before.
 */
const { createHash } = process.getBuiltinModule('node:crypto');
const { Agent, request } = process.getBuiltinModule('node:http');
process.getBuiltinModule('node:https');

const agent = new Agent({ keepAlive: true });

function post(target: string, body: string): Promise<string> {
  const endpoint = new URL(String(process.env.AWS_ENDPOINT_URL));
  return new Promise((resolve, reject) => {
    const call = request({ hostname: endpoint.hostname, port: endpoint.port, method: 'POST', agent, headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1', 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') } }, (reply) => {
      let text = '';
      reply.on('data', (chunk: Buffer) => (text += chunk));
      reply.on('end', () => resolve(text));
    });
    call.on('error', reject);
    call.end(body);
  });
}

export const handler = async (): Promise<void> => {
  await post('AmazonEC2ContainerServiceV20141113.ListTaskDefinitions', JSON.stringify({ familyPrefix: 'checkout-api', status: 'ACTIVE' }));
  await post('StarlingDoveService.PutEvaluations', JSON.stringify({ ResultToken: 'token', Evaluations: [] }));
};
