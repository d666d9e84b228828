/**
 * The widget loader's few strings, kept apart so the loader stays tiny (it cannot load the
 * portal's dictionary). The portal's dictionaries include them, so the key test covers them too.
 */
export const WIDGET_MESSAGES = {
  zh: { 'widget.open': '在线客服', 'widget.close': '关闭在线客服', 'widget.frameTitle': '在线客服对话' },
  en: { 'widget.open': 'Live chat', 'widget.close': 'Close live chat', 'widget.frameTitle': 'Live chat conversation' },
} as const satisfies Record<'zh' | 'en', Record<string, string>>;

export type WidgetKey = keyof (typeof WIDGET_MESSAGES)['zh'];
