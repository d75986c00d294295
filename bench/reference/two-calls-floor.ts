/**
 * The floor under a rule that makes two AWS calls: a handler that loads what any such rule must
 * (node's HTTP, HTTPS and crypto modules, the way the rules load them), hashes each body and POSTs
 * it twice over a keep-alive connection, unsigned, evaluating nothing. What a rule costs above this
 * is its own code.
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
