# One call through one generated Python SDK (run by test/sdk/run.ts with PYTHONPATH set to that
# package's folder only). Usage: smoke.py <auth|admin|prompt|model>; input in the environment
# (GAF_URL, GAF_EXPECTED_HOST, and per package GAF_ADMIN_*, GAF_CLIENT_*, GAF_TOKEN).
# Prints one JSON object on its last line: {"ok": true, ...outputs} or {"ok": false, "error": ...}.
import json
import os
import sys
import traceback

URL = os.environ['GAF_URL']


def configuration(pkg):
    config = pkg.Configuration()
    # The generated default is the platform's URL (PUBLIC_URL or the `npm start` default).
    expected = os.environ['GAF_EXPECTED_HOST']
    assert config.host == expected, 'default host is %r, expected %r' % (config.host, expected)
    config.host = URL
    return config


def admin():
    import genai_foundations_admin as pkg
    config = configuration(pkg)
    sessions = pkg.AdminSessionsApi(pkg.ApiClient(config))
    body = pkg.LoginRequest(username=os.environ['GAF_ADMIN_USERNAME'], password=os.environ['GAF_ADMIN_PASSWORD'])
    _, status, headers = sessions.login_admin_with_http_info(body)
    assert status == 200, status
    cookie = next(c.split(';')[0] for c in headers.getlist('Set-Cookie') if c.startswith('gaf_admin_session='))
    # 4.3.1 sends a cookie api key as the bare value (no name=), so pass the cookie to the client.
    client = pkg.ApiClient(config, cookie=cookie)
    created = pkg.ApplicationsApi(client).create_app_client(
        pkg.CreateAppClientRequest(app_name='sdk-smoke-test', description='Created by npm run test:sdks'))
    assert created.client_id and created.client_secret, created
    return {'app_id': created.app_id, 'client_id': created.client_id, 'client_secret': created.client_secret}


def auth():
    import genai_foundations_auth as pkg
    api = pkg.OAuth2Api(pkg.ApiClient(configuration(pkg)))
    token = api.issue_access_token(grant_type='client_credentials',
                                   client_id=os.environ['GAF_CLIENT_ID'], client_secret=os.environ['GAF_CLIENT_SECRET'])
    assert token.token_type == 'Bearer' and token.access_token, token
    return {'token': token.access_token, 'expires_in': token.expires_in}


def prompt():
    import genai_foundations_prompt as pkg
    config = configuration(pkg)
    config.access_token = os.environ['GAF_TOKEN']
    api = pkg.PromptTemplatesApi(pkg.ApiClient(config))
    text = 'Context: {{context}}\nQuestion: {{question}}'
    saved = api.create_prompt_template(pkg.SavePromptTemplateRequest(name='SDK_SMOKE_PROMPT', prompt_template=text))
    got = api.get_prompt_template(pkg.GetPromptTemplateRequest(name='SDK_SMOKE_PROMPT'))
    assert got.prompt_template == text and got.version == saved.version, got
    return {'version': got.version, 'variables': got.variables}


def model():
    import genai_foundations_model as pkg
    config = configuration(pkg)
    config.access_token = os.environ['GAF_TOKEN']
    client = pkg.ApiClient(config)
    names = [m.model_name for m in pkg.ModelsApi(client).list_models().embed_models]
    assert 'LOCAL_USE_LITE_512' in names, names
    # input_type=None: the nullable enum whose null crashed the generator (EmbedRequest).
    result = pkg.EmbeddingsApi(client).embed_text(
        pkg.EmbedRequest(model_name='LOCAL_USE_LITE_512', input_text='When is the invoice due?', input_type=None))
    assert len(result.embedding) == 512, len(result.embedding)
    return {'dimensions': len(result.embedding)}


if __name__ == '__main__':
    try:
        out = {'ok': True, **{'admin': admin, 'auth': auth, 'prompt': prompt, 'model': model}[sys.argv[1]]()}
    except Exception as error:  # report any failure as a result line, with the traceback on stderr
        traceback.print_exc()
        out = {'ok': False, 'error': '%s: %s' % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else '')}
    print(json.dumps(out))
