import { FPM_PORT, WEB_ROOT } from './install';

/** Port of the web server, the pod's Service port (nginx-unprivileged's). */
export const WEB_PORT = 8080;
/** nginx-unprivileged's user. */
export const NGINX_UID = 101;

/**
 * Matomo's own nginx site (vendor/matomo/matomo-nginx.conf: the only PHP files it runs, the directories it
 * denies, its caching) for an unprivileged nginx behind the cluster's ingress: plain HTTP on 8080 (TLS
 * ends at the ingress), PHP through php-fpm in the same pod, temporary files and the PID under /tmp (the
 * root filesystem is read-only), logs to the container's output.
 */
export function nginxConf(): string {
  return `worker_processes 2;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
events {
  worker_connections 1024;
}
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  server_tokens off;
  sendfile on;
  access_log /dev/stdout;
  client_max_body_size 32m;
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
  server {
    listen ${WEB_PORT};
    root ${WEB_ROOT};
    index index.php;
    add_header Referrer-Policy origin always;
    add_header X-Content-Type-Options "nosniff" always;
    ## only allow accessing the following php files
    location ~ ^/(index|matomo|piwik|js/index|plugins/HeatmapSessionRecording/configs)\\.php$ {
      fastcgi_split_path_info ^(.+?\\.php)(/.*)$;
      try_files $fastcgi_script_name =404;
      include fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param HTTP_PROXY "";
      fastcgi_read_timeout 300s;
      fastcgi_pass 127.0.0.1:${FPM_PORT};
    }
    ## deny access to all other .php files
    location ~* ^.+\\.php$ {
      deny all;
      return 403;
    }
    location / {
      try_files $uri $uri/ =404;
    }
    location ~ ^/(config|tmp|core|lang) {
      deny all;
      return 403;
    }
    location ~ /\\.ht {
      deny all;
      return 403;
    }
    location ~ js/container_.*_preview\\.js$ {
      expires off;
      add_header Cache-Control 'private, no-cache, no-store';
    }
    location ~ \\.(gif|ico|jpg|png|svg|js|css|htm|html|mp3|mp4|wav|ogg|avi|ttf|eot|woff|woff2)$ {
      allow all;
      expires 1h;
      add_header Pragma public;
      add_header Cache-Control "public";
    }
    location ~ ^/(libs|vendor|plugins|misc|node_modules) {
      deny all;
      return 403;
    }
    location ~/(.*\\.md|LEGALNOTICE|LICENSE) {
      default_type text/plain;
    }
  }
}
`;
}
